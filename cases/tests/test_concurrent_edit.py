"""Two people editing the same record: the second save never silently overwrites the first."""

import pytest

from accounts.models import AuditAction, AuditEvent
from cases import services
from cases.models import Case, Person
from cases.tests.factories import CaseFactory, risk_form_data


def _concern_post(case, version, **overrides):
    data = {
        "received_at": case.received_at.strftime("%Y-%m-%dT%H:%M"),
        "referrer_name": "Sam Referrer",
        "referrer_agency": "",
        "referrer_relationship": "",
        "what_happened": case.what_happened,
        **risk_form_data(
            [
                {"id": str(r.pk), "types": ["financial"], "location": r.location, "source": r.source}
                for r in case.risks.all()
            ]
        ),
        "immediate_actions": "",
        "adult_aware": "not_known",
        "adult_wants": "",
        "version": str(version),
    }
    data.update(overrides)
    return data


def test_an_edit_saves_and_bumps_the_version(world, login):
    case = CaseFactory(team=world.team_a, referrer_name="Sam Referrer")
    response = login(world.practitioner).post(
        f"/cases/{case.pk}/concern/", _concern_post(case, 1, adult_wants="To stay at home.")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.adult_wants == "To stay at home."
    assert case.version == 2
    event = AuditEvent.objects.get(case_id=case.pk, action=AuditAction.UPDATE)
    assert event.fields == ["adult_wants"]


def test_second_editor_of_the_concern_sees_a_conflict_with_their_input_kept(world, login):
    case = CaseFactory(team=world.team_a, referrer_name="Sam Referrer")
    first = login(world.practitioner)
    first.get(f"/cases/{case.pk}/concern/")
    first.post(f"/cases/{case.pk}/concern/", _concern_post(case, 1, adult_wants="First editor's words."))
    second = login(world.colleague)
    response = second.post(f"/cases/{case.pk}/concern/", _concern_post(case, 1, adult_wants="Second editor's words."))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved changes while you were editing" in body
    assert "Second editor&#x27;s words." in body  # their input, still in the form
    assert "First editor&#x27;s words." in body  # what is saved now
    assert 'name="version" value="2"' in body
    assert Case.objects.get(pk=case.pk).adult_wants == "First editor's words."
    # Having seen both, they can choose to save theirs.
    again = second.post(f"/cases/{case.pk}/concern/", _concern_post(case, 2, adult_wants="Second editor's words."))
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).adult_wants == "Second editor's words."


def test_the_update_service_refuses_a_stale_version(world):
    case = CaseFactory(team=world.team_a)
    data = {"adult_wants": "Stale."}
    Case.objects.filter(pk=case.pk).update(version=5)
    with pytest.raises(services.EditConflict) as conflict:
        services.update_concern(actor=world.practitioner, case=case, expected_version=1, concern_data=data)
    assert conflict.value.current.version == 5
    assert Case.objects.get(pk=case.pk).adult_wants == ""


def _person_post(person, version, **overrides):
    data = {
        "legal_name": person.legal_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": "1940-05-17",
        "nhs_number": "",
        "gender": "unknown",
        "ethnicity": "unknown",
        "primary_support_reason": "unknown",
        "communication_needs": "",
        "address": "",
        "representative_contacts": "",
        "version": str(version),
    }
    data.update(overrides)
    return data


def test_second_editor_of_the_person_sees_a_conflict_with_current_values(world, login):
    case = CaseFactory(team=world.team_a)
    person = case.person
    login(world.practitioner).post(f"/cases/{case.pk}/person/", _person_post(person, 1, preferred_name="Bea"))
    response = login(world.colleague).post(
        f"/cases/{case.pk}/person/", _person_post(person, 1, preferred_name="Beatrix", communication_needs="BSL")
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert 'value="Beatrix"' in body
    assert "BSL" in body
    assert "<td>Bea</td>" in body
    stored = Person.objects.get(pk=person.pk)
    assert stored.preferred_name == "Bea"
    assert stored.communication_needs == ""
    assert stored.version == 2


def test_a_closed_case_cannot_be_edited(world, login):
    case = CaseFactory(team=world.team_a, state="closed")
    assert login(world.practitioner).get(f"/cases/{case.pk}/concern/").status_code == 409
    assert login(world.practitioner).post(f"/cases/{case.pk}/person/", {}).status_code == 409
