"""Who may use each page of the Safeguarding Adults Reviews register (walked by
accounts/tests/test_url_access.py): safeguarding leads only. SAB members see SG5 figures in
their reports, never the register; everyone else gets 403."""

from accounts.tests.url_policy import Rule, role_page

LEADS = ("lead",)


def _review(w):
    from .factories import RecommendationFactory, SarPersonFactory

    person = SarPersonFactory(review__created_by=w.lead, case=w.case)
    RecommendationFactory(review=person.review)
    return person.review


def _review_pk(w):
    return {"pk": _review(w).pk}


def _person_pk(w):
    return {"pk": _review(w).people.get().pk}


def _recommendation_pk(w):
    return {"pk": _review(w).recommendations.get().pk}


ACCESS = {
    "sars:list": Rule(role_page(200, LEADS)),
    "sars:create": Rule(role_page(200, LEADS)),
    "sars:detail": Rule(role_page(200, LEADS), kwargs=_review_pk),
    "sars:edit": Rule(role_page(200, LEADS), kwargs=_review_pk),
    "sars:people": Rule(role_page(200, LEADS), kwargs=_review_pk),
    "sars:person_edit": Rule(role_page(200, LEADS), kwargs=_person_pk),
    "sars:recommendations": Rule(role_page(200, LEADS), kwargs=_review_pk),
    "sars:recommendation_edit": Rule(role_page(200, LEADS), kwargs=_recommendation_pk),
}
