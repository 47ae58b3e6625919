"""Who may use each feedback URL (walked by accounts/tests/test_url_access.py)."""

from accounts.tests.url_policy import ACTORS, CASE_WORKER_ACTORS, Rule, case_workers, role_page, statuses

#: The anonymous questionnaire is open to everyone, signed in or not; without a code in the
#: session its pages say to start with the code (200), and nothing is shown of anyone's answers.
EVERYONE = dict.fromkeys(ACTORS, 200)


def _case(w):
    return {"pk": w.case.pk}


def _follow_up(w):
    """A closed enquiry of team A, five days ago; the outsider (team B) named for its follow-ups."""
    from .factories import closed_case, named

    named(w.outsider, w.team_a, by=w.lead)
    return {"pk": closed_case(w.team_a, days_ago=5).pk}


def _reviewer(w):
    from .factories import named

    return {"pk": named(w.outsider, w.team_a, by=w.lead).pk}


ACCESS = {
    # At closure: whoever may change the case while its enquiry is open (as the closure review).
    "feedback:at_closure": Rule(case_workers(), kwargs=_case),
    # Emailing the person a code for the anonymous questionnaire: whoever can see the case.
    "feedback:email_code": Rule(case_workers(), kwargs=_case),
    # Texting the person a code: the same (the tests send texts to feedback.sms.outbox).
    "feedback:text_code": Rule(case_workers(), kwargs=_case),
    # The feedback due queue: every case worker (empty for anyone not named).
    "feedback:due": Rule(role_page(200, CASE_WORKER_ACTORS)),
    # One follow-up: only the named reviewer; a case worker not named gets 404 (they learn nothing).
    "feedback:follow_up": Rule(statuses(404, outsider=200, sab_member=403, sysadmin=403), kwargs=_follow_up),
    # Who makes each team's follow-ups: safeguarding leads only.
    "feedback:reviewers": Rule(role_page(200, ("lead",))),
    # Approving people's words for the board: safeguarding leads only.
    "feedback:quotes": Rule(role_page(200, ("lead",))),
    "feedback:reviewer_remove": Rule(role_page(302, ("lead",)), kwargs=_reviewer, method="post"),
    "tell_us:start": Rule(EVERYONE),
    "tell_us:step": Rule(EVERYONE, kwargs=lambda w: {"slug": "who"}),
    "tell_us:check": Rule(EVERYONE),
    "tell_us:done": Rule(EVERYONE),
}
