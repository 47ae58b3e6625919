"""Every journey page is audited when it shows case data, and no page can make an illegal move."""

import pytest

from accounts.models import AuditAction, AuditEvent
from cases.models import Case, CaseState
from cases.tests.factories import CaseFactory, DecisionFactory, EnquiryFactory, decision_form_data


@pytest.mark.parametrize(
    ("path", "actor", "make"),
    [
        ("", "colleague", "enquiry"),
        ("chronology/", "colleague", "enquiry"),
        ("concern/", "colleague", "enquiry"),
        ("person/", "colleague", "enquiry"),
        ("decision/", "colleague", "concern"),
        ("decision/review/", "manager", "decision"),
        ("allocate/", "manager", "enquiry"),
        ("reopen/", "manager", "closed"),
    ],
)
def test_each_page_showing_a_case_writes_a_view_event(world, login, path, actor, make):
    case = {
        "enquiry": lambda: EnquiryFactory(case__team=world.team_a).case,
        "concern": lambda: CaseFactory(team=world.team_a),
        "decision": lambda: DecisionFactory(case__team=world.team_a, proposed_by=world.practitioner).case,
        "closed": lambda: CaseFactory(team=world.team_a, state=CaseState.CLOSED),
    }[make]()
    user = world.user(actor)
    response = login(user).get(f"/cases/{case.pk}/{path}")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.VIEW, actor=user).count() == 1


@pytest.mark.parametrize(
    ("state", "path", "data"),
    [
        (CaseState.ENQUIRY_OPEN, "decision/", decision_form_data()),
        (CaseState.DECISION_PENDING, "decision/", decision_form_data()),
        (CaseState.CONCERN, "decision/review/", {"action": "sign_off"}),
        (CaseState.ENQUIRY_OPEN, "decision/review/", {"action": "sign_off"}),
        (CaseState.CONCERN, "allocate/", {}),
        (CaseState.CLOSURE_PENDING, "allocate/", {}),
        (CaseState.ENQUIRY_OPEN, "reopen/", {"reason": "Because."}),
        (CaseState.CLOSURE_PENDING, "reopen/", {"reason": "Because."}),
    ],
)
def test_no_page_moves_a_case_out_of_turn(world, login, state, path, data):
    case = CaseFactory(team=world.team_a, state=state)
    response = login(world.lead).post(f"/cases/{case.pk}/{path}", data)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == state
    assert stored.version == 1
    assert not stored.decisions.exists()


@pytest.mark.parametrize("state", [CaseState.CLOSED, CaseState.NO_FURTHER_ACTION])
def test_a_finished_case_cannot_be_changed_from_its_pages(world, login, state):
    case = CaseFactory(team=world.team_a, state=state)
    client = login(world.lead)
    assert client.post(f"/cases/{case.pk}/decision/", decision_form_data()).status_code == 409
    assert client.post(f"/cases/{case.pk}/concern/", {}).status_code == 409
    assert Case.objects.get(pk=case.pk).state == state


def test_an_imported_case_is_read_only_except_for_a_lead(world, login):
    case = CaseFactory(team=world.team_a, imported=True)
    assert login(world.manager).get(f"/cases/{case.pk}/concern/").status_code == 403
    assert login(world.lead).get(f"/cases/{case.pk}/concern/").status_code == 200


def test_the_error_summary_links_a_radio_group_to_its_first_option(world, login):
    case = CaseFactory(team=world.team_a)
    response = login(world.practitioner).post(f"/cases/{case.pk}/decision/", decision_form_data(outcome=""))
    body = response.content.decode()
    assert '<a href="#id_outcome_0">Proposed decision: Choose the proposed decision.</a>' in body
    assert 'id="id_outcome_0"' in body
