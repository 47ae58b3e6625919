import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services, workflow
from cases.models import CaseEvent, CaseState
from cases.tests.factories import EnquiryFactory


def test_manager_allocates_the_enquiry_to_a_team_member(world, login):
    enquiry = EnquiryFactory(case__team=world.team_a)
    client = login(world.manager)
    page = client.get(f"/cases/{enquiry.case.pk}/allocate/").content.decode()
    assert world.colleague.display_name in page
    assert world.outsider.display_name not in page
    response = client.post(
        f"/cases/{enquiry.case.pk}/allocate/", {"lead_practitioner": world.colleague.pk, "version": enquiry.version}
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner == world.colleague
    assert enquiry.allocated_at is not None
    assert CaseEvent.objects.filter(case=enquiry.case, kind="allocation").exists()
    detail = client.get(f"/cases/{enquiry.case.pk}/").content.decode()
    assert f"lead practitioner {world.colleague.display_name}" in detail


def test_someone_outside_the_team_cannot_lead_the_enquiry(world, login):
    enquiry = EnquiryFactory(case__team=world.team_a)
    response = login(world.manager).post(
        f"/cases/{enquiry.case.pk}/allocate/", {"lead_practitioner": world.outsider.pk, "version": enquiry.version}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError):
        services.allocate_enquiry(actor=world.manager, enquiry=enquiry, lead_practitioner=world.outsider)
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner is None


def test_a_practitioner_cannot_allocate(world, login):
    enquiry = EnquiryFactory(case__team=world.team_a)
    assert (
        login(world.practitioner)
        .post(f"/cases/{enquiry.case.pk}/allocate/", {"lead_practitioner": world.practitioner.pk})
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.allocate_enquiry(actor=world.practitioner, enquiry=enquiry, lead_practitioner=world.practitioner)


def test_an_enquiry_awaiting_closure_cannot_be_reallocated(world):
    enquiry = EnquiryFactory(case__team=world.team_a, case__state=CaseState.CLOSURE_PENDING)
    with pytest.raises(workflow.IllegalTransition):
        services.allocate_enquiry(actor=world.manager, enquiry=enquiry, lead_practitioner=world.colleague)
