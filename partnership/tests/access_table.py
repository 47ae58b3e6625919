"""Who may use each partnership URL (walked by accounts/tests/test_url_access.py)."""

from accounts.tests.url_policy import MANAGER_ACTORS, Rule, case_managers, case_workers, role_page

LEADS = ("lead",)


def _case(w):
    return {"pk": w.case.pk}


def _caused(w, **extra):
    from .factories import CausedEnquiryFactory

    return {"pk": CausedEnquiryFactory(case=w.case, requested_by=w.practitioner, **extra).pk}


def _caused_with_report(w):
    from django.utils import timezone

    return _caused(w, report_received_on=timezone.localdate(), findings="Records reviewed.", adequacy="adequate")


def _meeting(w):
    from .factories import MeetingFactory

    return {"pk": MeetingFactory(case=w.case, recorded_by=w.practitioner).pk}


def _share_without_consent(w):
    from .factories import InformationShareFactory

    share = InformationShareFactory(
        case=w.case, shared_by=w.practitioner, consented=False, no_consent_reason="risk_to_others", adult_told=True
    )
    return {"pk": share.pk}


def _organisation(w):
    from .factories import PartnerOrganisationFactory

    return {"pk": PartnerOrganisationFactory().pk}


ACCESS = {
    "partnership:caused_list": Rule(case_workers(), kwargs=_case),
    "partnership:caused_new": Rule(case_workers(), kwargs=_case),
    "partnership:caused_detail": Rule(case_workers(), kwargs=_caused),
    "partnership:caused_acknowledge": Rule(case_workers(302), kwargs=_caused, method="post"),
    "partnership:caused_report": Rule(case_workers(), kwargs=_caused),
    # A manager judges a received report: practitioners are refused by role.
    "partnership:caused_not_adequate": Rule(case_managers(), kwargs=_caused_with_report),
    "partnership:meeting_list": Rule(case_workers(), kwargs=_case),
    "partnership:meeting_new": Rule(case_workers(), kwargs=_case),
    "partnership:meeting_detail": Rule(case_workers(), kwargs=_meeting),
    "partnership:share_list": Rule(case_workers(), kwargs=_case),
    "partnership:share_new": Rule(case_workers(), kwargs=_case),
    "partnership:share_review": Rule(case_managers(), kwargs=_share_without_consent),
    # The reference list of partner organisations: safeguarding leads keep it.
    "partners:list": Rule(role_page(200, LEADS)),
    "partners:create": Rule(role_page(200, LEADS)),
    "partners:edit": Rule(role_page(200, LEADS), kwargs=_organisation),
    # Concerns by provider: managers (their teams' cases) and leads.
    "partners:providers": Rule(role_page(200, MANAGER_ACTORS)),
}
