"""Who may use each feedback URL (walked by accounts/tests/test_url_access.py)."""

from accounts.tests.url_policy import ACTORS, Rule, case_workers

#: The anonymous questionnaire is open to everyone, signed in or not; without a code in the
#: session its pages say to start with the code (200), and nothing is shown of anyone's answers.
EVERYONE = dict.fromkeys(ACTORS, 200)


def _case(w):
    return {"pk": w.case.pk}


ACCESS = {
    # At closure: whoever may change the case while its enquiry is open (as the closure review).
    "feedback:at_closure": Rule(case_workers(), kwargs=_case),
    "tell_us:start": Rule(EVERYONE),
    "tell_us:step": Rule(EVERYONE, kwargs=lambda w: {"slug": "who"}),
    "tell_us:check": Rule(EVERYONE),
    "tell_us:done": Rule(EVERYONE),
}
