"""Who may use each page about people alleged to have caused harm (walked by
accounts/tests/test_url_access.py): naming one on a case's risk follows the case rules; the
register, a person's page across cases, merging and referrals are for safeguarding leads."""

from accounts.tests.url_policy import Rule, case_workers, role_page

LEADS = ("lead",)


def _case(w):
    return {"pk": w.case.pk}


def _link(w):
    from .factories import RiskPersonFactory

    return RiskPersonFactory(case=w.case)


def _link_pk(w):
    return {"pk": _link(w).pk}


def _person_pk(w):
    return {"pk": _link(w).person_id}


def _referral_pk(w):
    from .factories import TrustReferralFactory

    return {"pk": TrustReferralFactory(person=_link(w).person).pk}


ACCESS = {
    "harm_case:name_on_risk": Rule(case_workers(), kwargs=_case),
    "harm_case:remove_from_risk": Rule(case_workers(), kwargs=_link_pk),
    "harm:register": Rule(role_page(200, LEADS)),
    "harm:person": Rule(role_page(200, LEADS), kwargs=_person_pk),
    "harm:person_edit": Rule(role_page(200, LEADS), kwargs=_person_pk),
    "harm:merge": Rule(role_page(200, LEADS), kwargs=_person_pk),
    "harm:referral_add": Rule(role_page(200, LEADS), kwargs=_person_pk),
    "harm:referral_outcome": Rule(role_page(200, LEADS), kwargs=_referral_pk),
}
