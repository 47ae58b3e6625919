"""Every legal and every illegal move of the case state machine, in the one place that moves it."""

import itertools

import pytest

from accounts.models import AuditAction, AuditEvent
from cases import workflow
from cases.models import Case, CaseEvent, CaseState
from cases.tests.factories import CaseFactory

S = CaseState
LEGAL = {
    (S.CONCERN, S.DECISION_PENDING),
    (S.DECISION_PENDING, S.CONCERN),
    (S.DECISION_PENDING, S.ENQUIRY_OPEN),
    (S.DECISION_PENDING, S.NO_FURTHER_ACTION),
    (S.ENQUIRY_OPEN, S.CLOSURE_PENDING),
    (S.CLOSURE_PENDING, S.ENQUIRY_OPEN),
    (S.CLOSURE_PENDING, S.CLOSED),
    (S.CLOSED, S.ENQUIRY_OPEN),
    (S.NO_FURTHER_ACTION, S.CONCERN),
}
ILLEGAL = sorted(set(itertools.product(S, S)) - LEGAL)


def test_the_transition_table_is_exactly_the_journey():
    table = {(a, b) for a, targets in workflow.TRANSITIONS.items() for b in targets}
    assert table == LEGAL


@pytest.mark.parametrize(("from_state", "to_state"), sorted(LEGAL))
def test_legal_transition_moves_the_case_and_logs_it(from_state, to_state, world):
    case = CaseFactory(team=world.team_a, state=from_state)
    workflow.transition(case=case, to_state=to_state, actor=world.manager, summary="Synthetic move.")
    case.refresh_from_db()
    assert case.state == to_state
    assert case.version == 2
    assert CaseEvent.objects.filter(case=case, kind=f"state:{to_state}").exists()
    assert AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.STATE, detail=f"{from_state}->{to_state}")
    assert (case.closed_at is not None) == (to_state == S.CLOSED)


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(from_state, to_state, world):
    case = CaseFactory(team=world.team_a, state=from_state)
    with pytest.raises(workflow.IllegalTransition):
        workflow.transition(case=case, to_state=to_state, actor=world.manager, summary="Synthetic move.")
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == from_state
    assert stored.version == 1
    assert not CaseEvent.objects.filter(case=case).exists()
