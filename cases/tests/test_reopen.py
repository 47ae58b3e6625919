import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services, workflow
from cases.models import CaseState
from cases.tests.factories import CaseFactory, EnquiryFactory


def test_manager_reopens_a_closed_case_with_a_reason_and_the_enquiry_opens_again(world, login):
    enquiry = EnquiryFactory(
        case__team=world.team_a, case__state=CaseState.CLOSED, concluded_on=datetime.date(2026, 10, 1)
    )
    case = enquiry.case
    response = login(world.manager).post(f"/cases/{case.pk}/reopen/", {"reason": "New information from the GP."})
    assert response.status_code == 302
    case.refresh_from_db()
    enquiry.refresh_from_db()
    assert case.state == CaseState.ENQUIRY_OPEN
    assert enquiry.concluded_on is None
    assert case.events.filter(kind="state:enquiry_open", summary__contains="New information from the GP.").exists()


def test_a_no_further_action_case_reopens_at_the_concern_stage_with_a_new_due_date(world):
    case = CaseFactory(team=world.team_a, state=CaseState.NO_FURTHER_ACTION)
    services.reopen_case(actor=world.lead, case=case, reason="Second referral.")
    case.refresh_from_db()
    assert case.state == CaseState.CONCERN
    assert case.decision_due is not None


def test_a_reason_is_required(world, login):
    case = CaseFactory(team=world.team_a, state=CaseState.CLOSED)
    response = login(world.manager).post(f"/cases/{case.pk}/reopen/", {"reason": " "})
    assert "Give the reason for reopening the case." in response.content.decode()
    with pytest.raises(ValidationError):
        services.reopen_case(actor=world.manager, case=case, reason="")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_a_practitioner_cannot_reopen(world, login):
    case = CaseFactory(team=world.team_a, state=CaseState.CLOSED)
    assert login(world.practitioner).post(f"/cases/{case.pk}/reopen/", {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.reopen_case(actor=world.practitioner, case=case, reason="x")


@pytest.mark.parametrize("state", [CaseState.CONCERN, CaseState.DECISION_PENDING, CaseState.ENQUIRY_OPEN])
def test_an_open_case_cannot_be_reopened(world, login, state):
    case = CaseFactory(team=world.team_a, state=state)
    response = login(world.manager).post(f"/cases/{case.pk}/reopen/", {"reason": "x"})
    assert response.status_code == 302
    with pytest.raises(workflow.IllegalTransition):
        services.reopen_case(actor=world.manager, case=case, reason="x")
    case.refresh_from_db()
    assert case.state == state
