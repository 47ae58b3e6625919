"""Who may use the front door. The public form and its confirmation are open to everyone, signed
in or not. Submissions are seen only by the front door team (team A here) and leads: other case
workers get 403 for the queue and 404 for one submission; SAB members and system administrators
never see one (403)."""

from accounts.tests.url_policy import ACTORS, Rule, case_workers, role_page

EVERYONE = dict.fromkeys(ACTORS, 200)


def _setting(w):
    from frontdoor.tests.factories import front_door_team

    front_door_team(w.team_a)
    return {}


def _submission(w):
    from frontdoor.tests.factories import SubmissionFactory

    _setting(w)
    return {"pk": SubmissionFactory().pk}


SCREENERS = ("practitioner", "colleague", "manager", "lead")


def _screening(status=200):
    return role_page(status, SCREENERS, outsider=404, manager_b=404)


ACCESS = {
    "report:start": Rule(EVERYONE),
    "report:step": Rule(EVERYONE, kwargs=lambda w: {"slug": "danger"}),
    "report:check": Rule(EVERYONE),
    "report:done": Rule(EVERYONE),
    "frontdoor:queue": Rule(role_page(200, SCREENERS), kwargs=_setting),
    "frontdoor:team": Rule(role_page(200, ("lead",))),
    "frontdoor:submission": Rule(_screening(), kwargs=_submission),
    "frontdoor:concern": Rule(_screening(), kwargs=_submission),
    "frontdoor:not_safeguarding": Rule(_screening(), kwargs=_submission),
    "frontdoor:feedback": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
}
