"""Who may use each page of organisational enquiries (walked by accounts/tests/test_url_access.py):
safeguarding leads only; everyone else 403. The linked cases on a page are those the lead may see."""

from accounts.tests.url_policy import Rule, role_page

LEADS = ("lead",)


def _enquiry(w):
    from .factories import OrganisationalEnquiryFactory

    return OrganisationalEnquiryFactory(opened_by=w.lead)


def _enquiry_pk(w):
    return {"pk": _enquiry(w).pk}


def _link_pk(w):
    from .factories import LinkedCaseFactory

    return {"pk": LinkedCaseFactory(enquiry=_enquiry(w), case=w.case).pk}


def _action_pk(w):
    from .factories import OrganisationalActionFactory

    return {"pk": OrganisationalActionFactory(enquiry=_enquiry(w)).pk}


ACCESS = {
    "organisational:list": Rule(role_page(200, LEADS)),
    "organisational:create": Rule(role_page(200, LEADS)),
    "organisational:detail": Rule(role_page(200, LEADS), kwargs=_enquiry_pk),
    "organisational:link_cases": Rule(role_page(200, LEADS), kwargs=_enquiry_pk),
    "organisational:unlink_case": Rule(role_page(200, LEADS), kwargs=_link_pk),
    "organisational:update_add": Rule(role_page(200, LEADS), kwargs=_enquiry_pk),
    "organisational:meeting_add": Rule(role_page(200, LEADS), kwargs=_enquiry_pk),
    "organisational:action_add": Rule(role_page(200, LEADS), kwargs=_enquiry_pk),
    "organisational:action_done": Rule(role_page(302, LEADS), kwargs=_action_pk, method="post"),
    "organisational:conclude": Rule(role_page(200, LEADS), kwargs=_enquiry_pk),
}
