"""Who may use each feedback URL (walked by accounts/tests/test_url_access.py)."""

from accounts.tests.url_policy import Rule, case_workers


def _case(w):
    return {"pk": w.case.pk}


ACCESS = {
    # At closure: whoever may change the case while its enquiry is open (as the closure review).
    "feedback:at_closure": Rule(case_workers(), kwargs=_case),
}
