"""Allocating and re-allocating one or many enquiries from the workspace list, with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from cases.models import CaseEvent, CaseState, Enquiry
from cases.tests.factories import EnquiryFactory
from workspace import services

pytestmark = pytest.mark.django_db

REASON = "Pat is on long-term leave from Monday."


def _post(client, enquiries, to, reason="", query=""):
    data = {"cases": [str(e.case_id) for e in enquiries], "to": str(to.pk), "reason": reason}
    for e in enquiries:
        data[f"version-{e.case_id}"] = str(Enquiry.objects.get(pk=e.pk).version)
    return client.post(reverse("workspace:cases") + query, data)


def test_a_manager_reallocates_many_cases_with_one_reason(world, login):
    others = [EnquiryFactory(case__team=world.team_a, lead_practitioner=world.practitioner) for _ in range(2)]
    moving = [world.enquiry, *others]
    response = _post(
        login(world.manager), moving, world.colleague, REASON, query=f"?practitioner={world.practitioner.pk}"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:cases") + f"?practitioner={world.practitioner.pk}"
    for enquiry in moving:
        enquiry.refresh_from_db()
        assert enquiry.lead_practitioner == world.colleague
        assert enquiry.version == 2
        event = CaseEvent.objects.filter(case_id=enquiry.case_id, kind="allocation").get()
        assert REASON in event.summary and event.actor == world.manager
    entries = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="cases.enquiry")
    assert entries.count() == 3
    for entry in entries:
        assert entry.fields == ["allocated_at", "lead_practitioner", "reason"]
        assert REASON not in entry.detail


def test_a_first_allocation_needs_no_reason(world, login):
    fresh = EnquiryFactory(case__team=world.team_a)
    assert _post(login(world.manager), [fresh], world.colleague).status_code == 302
    fresh.refresh_from_db()
    assert fresh.lead_practitioner == world.colleague


def test_moving_a_case_from_someone_needs_a_reason_and_keeps_the_form(world, login):
    response = _post(login(world.manager), [world.enquiry], world.colleague)
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    assert f'value="{world.case.pk}" id="pick-{world.case.pk}" checked' in response.content.decode()
    world.enquiry.refresh_from_db()
    assert world.enquiry.lead_practitioner == world.practitioner


def test_never_to_someone_outside_the_cases_team_and_all_or_nothing(world):
    fresh = EnquiryFactory(case__team=world.team_a)
    with pytest.raises(ValidationError, match="not a member of the team"):
        services.reallocate(
            actor=world.lead, case_ids=[fresh.case_id, world.case.pk], to_user=world.outsider, reason=REASON
        )
    assert Enquiry.objects.filter(lead_practitioner=world.outsider).count() == 0
    b_enquiry = EnquiryFactory(case__team=world.team_b, lead_practitioner=world.outsider)
    with pytest.raises(ValidationError):
        services.reallocate(
            actor=world.lead, case_ids=[fresh.case_id, b_enquiry.case_id], to_user=world.colleague, reason=REASON
        )
    fresh.refresh_from_db()
    assert fresh.lead_practitioner is None
    assert not CaseEvent.objects.filter(kind="allocation").exists()


def test_a_manager_cannot_move_another_teams_cases(world, login):
    b_enquiry = EnquiryFactory(case__team=world.team_b)
    response = _post(login(world.manager), [b_enquiry], world.colleague, REASON)
    assert response.status_code == 400
    assert "cannot be found" in response.content.decode()
    response = _post(login(world.manager_b), [world.enquiry], world.outsider, REASON)
    assert response.status_code == 400
    world.enquiry.refresh_from_db()
    assert world.enquiry.lead_practitioner == world.practitioner


def test_only_open_enquiries_move(world):
    closing = EnquiryFactory(case__team=world.team_a, case__state=CaseState.CLOSURE_PENDING)
    with pytest.raises(ValidationError, match="no open enquiry"):
        services.reallocate(actor=world.manager, case_ids=[closing.case_id], to_user=world.colleague, reason=REASON)


def test_practitioners_cannot_allocate(world):
    with pytest.raises(PermissionDenied):
        services.reallocate(actor=world.practitioner, case_ids=[world.case.pk], to_user=world.colleague, reason=REASON)


def test_someone_elses_change_since_the_page_loaded_moves_nothing(world, login):
    client = login(world.manager)
    data = {
        "cases": [str(world.case.pk)],
        f"version-{world.case.pk}": str(world.enquiry.version),
        "to": str(world.colleague.pk),
        "reason": REASON,
    }
    Enquiry.objects.filter(pk=world.enquiry.pk).update(version=world.enquiry.version + 1)
    response = client.post(reverse("workspace:cases"), data)
    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()
    assert REASON in response.content.decode()  # what was typed is kept
    world.enquiry.refresh_from_db()
    assert world.enquiry.lead_practitioner == world.practitioner


def test_nothing_ticked_is_a_clear_error(world, login):
    response = login(world.manager).post(reverse("workspace:cases"), {"to": str(world.colleague.pk), "reason": "x"})
    assert response.status_code == 400
    assert "Tick at least one case" in response.content.decode()


@pytest.mark.parametrize("actor", ["practitioner", "sab_member", "sysadmin"])
def test_only_managers_can_post_an_allocation(world, login, actor):
    response = _post(login(world.user(actor)), [world.enquiry], world.colleague, REASON)
    assert response.status_code == 403
