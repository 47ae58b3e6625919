from accounts.models import AuditAction, AuditEvent
from cases.models import Case, CaseEvent, CaseState, Person
from cases.tests.factories import concern_form_data


def test_practitioner_records_a_concern_and_lands_on_the_case(world, login):
    client = login(world.practitioner)
    response = client.post("/cases/new/", concern_form_data(world.team_a))
    case = Case.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.state == CaseState.CONCERN
    assert case.ref == f"MSP-{case.pk:07d}"
    assert case.person.display_name == "Peggy"
    (risk,) = case.risks.all()
    assert risk.type_codes() == ["financial", "psychological"]
    assert (risk.location, risk.source, risk.assessment) == ("own_home", "known", "")
    assert case.adult_wants.startswith("I want my money")
    assert case.decision_due is not None
    assert CaseEvent.objects.filter(case=case, kind="concern").exists()
    audited = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert AuditAction.CREATE in audited
    page = client.get(response["Location"])
    assert "Peggy" in page.content.decode()
    assert "Concern received from Sam Referrer" in page.content.decode()


def test_missing_answers_are_explained_and_nothing_typed_is_lost(world, login):
    client = login(world.practitioner)
    data = concern_form_data(world.team_a, **{"concern-what_happened": "", "person-legal_name": ""})
    data.pop("risk-0-types")
    response = client.post("/cases/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter the adult&#x27;s legal name." in body
    assert "Describe what happened." in body
    assert "Choose at least one type of abuse or neglect." in body
    assert "Sam Referrer" in body
    assert "I want my money to be safe" in body
    assert not Case.objects.filter(referrer_name="Sam Referrer").exists()


def test_an_invalid_nhs_number_is_refused_next_to_the_field(world, login):
    client = login(world.practitioner)
    response = client.post("/cases/new/", concern_form_data(world.team_a, **{"person-nhs_number": "943 476 5918"}))
    assert response.status_code == 200
    assert "Enter a valid 10-digit NHS number" in response.content.decode()
    assert 'value="943 476 5918"' in response.content.decode()


def test_a_practitioner_cannot_record_a_concern_for_another_team(world, login):
    client = login(world.practitioner)
    response = client.post("/cases/new/", concern_form_data(world.team_b))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(legal_name="Margaret Synthetica Oakes").exists()


def test_a_received_time_in_the_future_is_refused(world, login):
    client = login(world.practitioner)
    response = client.post(
        "/cases/new/", concern_form_data(world.team_a, **{"concern-received_at": "2999-01-01T10:00"})
    )
    assert "cannot be in the future" in response.content.decode()


def test_the_practitioner_only_sees_their_own_teams_to_choose_from(world, login):
    body = login(world.practitioner).get("/cases/new/").content.decode()
    assert "North Team" in body
    assert "South Team" not in body
