import datetime

from cases import selectors
from cases.models import Case, Person
from cases.tests.factories import CaseFactory, PersonFactory, concern_form_data


def _known(world, **person):
    return CaseFactory(team=world.team_a, person=PersonFactory(**person)).person


def test_same_nhs_number_is_a_possible_match(world):
    known = _known(world, legal_name="Other Name Entirely", nhs_number="9434765919", date_of_birth=None)
    found = selectors.possible_duplicates(user=world.practitioner, legal_name="Someone", nhs_number="9434765919")
    assert found == [known]
    assert found[0].match_reason == "Same NHS number"


def test_same_birth_date_and_similar_name_is_a_possible_match(world):
    known = _known(world, legal_name="Margaret Oakes", preferred_name="Peggy", date_of_birth=datetime.date(1938, 2, 11))
    for typed in ("Margret Oakes", "M. Oakes", "margaret oakes", "Peggy"):
        found = selectors.possible_duplicates(
            user=world.practitioner, legal_name=typed, date_of_birth=datetime.date(1938, 2, 11)
        )
        assert found == [known], typed


def test_a_different_name_or_birth_date_is_not_a_match(world):
    _known(world, legal_name="Margaret Oakes", date_of_birth=datetime.date(1938, 2, 11))
    assert not selectors.possible_duplicates(
        user=world.practitioner, legal_name="Harold Finch", date_of_birth=datetime.date(1938, 2, 11)
    )
    assert not selectors.possible_duplicates(
        user=world.practitioner, legal_name="Margaret Oakes", date_of_birth=datetime.date(1938, 2, 12)
    )


def test_people_known_only_to_another_team_are_not_revealed(world):
    CaseFactory(team=world.team_b, person=PersonFactory(legal_name="Margaret Oakes", nhs_number="9434765919"))
    assert not selectors.possible_duplicates(
        user=world.practitioner, legal_name="Margaret Oakes", nhs_number="9434765919"
    )


def test_recording_a_concern_offers_matches_before_creating_a_duplicate(world, login):
    known = _known(
        world, legal_name="Margaret Synthetica Oakes", preferred_name="Peggy", date_of_birth=datetime.date(1938, 2, 11)
    )
    client = login(world.practitioner)
    data = concern_form_data(world.team_a)
    offered = client.post("/cases/new/", data)
    body = offered.content.decode()
    assert offered.status_code == 200
    assert "We may already know this person" in body
    assert f'value="{known.pk}"' in body
    assert "I want my money to be safe" in body  # nothing typed is lost
    assert Person.objects.count() == 3  # known + the two world people, nobody new yet

    chosen = client.post("/cases/new/", {**data, "person_match-existing_person": str(known.pk)})
    assert chosen.status_code == 302
    assert Person.objects.count() == 3
    assert Case.objects.latest("pk").person == known


def test_the_user_can_say_it_is_a_new_person(world, login):
    _known(world, legal_name="Margaret Synthetica Oakes", date_of_birth=datetime.date(1938, 2, 11))
    client = login(world.practitioner)
    data = {**concern_form_data(world.team_a), "person_match-existing_person": "new"}
    assert client.post("/cases/new/", data).status_code == 302
    assert Person.objects.filter(legal_name="Margaret Synthetica Oakes").count() == 2


def test_offering_matches_is_audited_without_values(world, login):
    from accounts.models import AuditAction, AuditEvent

    _known(world, legal_name="Margaret Synthetica Oakes", date_of_birth=datetime.date(1938, 2, 11))
    login(world.practitioner).post("/cases/new/", concern_form_data(world.team_a))
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, object_type="cases.person")
    assert event.fields == ["possible_duplicates"]
    assert "Oakes" not in event.detail
