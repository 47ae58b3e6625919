from accounts.tests.url_policy import CASE_WORKER_ACTORS, Rule, case_managers, case_workers, role_page


def _concern_case(w):
    from cases.tests.factories import CaseFactory

    return {"pk": CaseFactory(team=w.team_a).pk}


def _case_awaiting_sign_off(w):
    from cases.tests.factories import DecisionFactory

    return {"pk": DecisionFactory(case__team=w.team_a, proposed_by=w.colleague).case.pk}


def _closed_case(w):
    from cases.models import CaseState
    from cases.tests.factories import CaseFactory

    return {"pk": CaseFactory(team=w.team_a, state=CaseState.CLOSED).pk}


ACCESS = {
    "cases:list": Rule(role_page(200, CASE_WORKER_ACTORS)),
    "cases:create": Rule(role_page(200, CASE_WORKER_ACTORS)),
    "cases:detail": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:concern_edit": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:risk_add": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:risk_correct": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.risks.first().pk}),
    "cases:person_edit": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:decision_propose": Rule(case_workers(), kwargs=_concern_case),
    "cases:decision_review": Rule(case_managers(), kwargs=_case_awaiting_sign_off),
    "cases:allocate": Rule(case_managers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:reopen": Rule(case_managers(), kwargs=_closed_case),
    "cases:chronology": Rule(case_workers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:access_log": Rule(case_managers(), kwargs=lambda w: {"pk": w.case.pk}),
    "cases:restriction": Rule(case_managers(), kwargs=lambda w: {"pk": w.case.pk}),
}
