"""Small displays of data on the case: the age beside the date of birth, NHS numbers as people
read them (3-3-4), success messages that read as sentences, dates that start at today."""

import datetime

import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from cases.forms import ConcernForm
from cases.tests.factories import CaseFactory, concern_form_data
from cases.tests.test_concurrent_edit import _concern_post, _person_post
from outcomes.templatetags.msp_text import age, nhs_number


def test_age_is_whole_years_and_turns_on_the_birthday():
    born = datetime.date(1940, 5, 17)
    assert age(born, datetime.date(2026, 5, 16)) == 85
    assert age(born, datetime.date(2026, 5, 17)) == 86
    assert age(datetime.date(1944, 2, 29), datetime.date(2026, 2, 28)) == 81
    assert age(None) == ""


def test_nhs_numbers_are_spaced_three_three_four():
    assert nhs_number("9434765919") == "943 476 5919"
    assert nhs_number("") == ""
    assert nhs_number("12345") == "12345"  # not ten digits (an imported oddity): shown as stored


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_case_page_shows_the_age_beside_the_date_of_birth_and_a_spaced_nhs_number(world, login):
    person = world.case.person
    person.date_of_birth = datetime.date(1940, 5, 17)
    person.nhs_number = "9434765919"
    person.save()
    body = login(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()
    assert "17 May 1940 (age 86)" in body
    assert "943 476 5919" in body
    assert "9434765919" not in body


def test_an_unknown_date_of_birth_shows_no_age(world, login):
    person = world.case.person
    person.date_of_birth = None
    person.save()
    body = login(world.practitioner).get(f"/cases/{world.case.pk}/").content.decode()
    assert "Not known" in body
    assert "(age" not in body


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_changing_the_concern_or_the_adult_says_so_in_a_sentence(world, login):
    case = CaseFactory(team=world.team_a, referrer_name="Sam Referrer")
    client = login(world.practitioner)
    response = client.post(f"/cases/{case.pk}/concern/", _concern_post(case, 1, adult_wants="To stay at home."))
    assert response.status_code == 302
    assert _messages(response) == ["Concern details saved."]
    response = client.post(f"/cases/{case.pk}/person/", _person_post(case.person, 1, preferred_name="Bea"))
    assert response.status_code == 302
    assert _messages(response)[-1] == "The adult's details saved."


def _shown(form, name):
    """The value the form's input shows, as the browser receives it."""
    html = str(form[name])
    return html.split('value="', 1)[1].split('"', 1)[0] if 'value="' in html else ""


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 30, 42, tzinfo=datetime.UTC), tick=False)
def test_a_new_concern_starts_at_now_to_the_minute():
    assert _shown(ConcernForm(prefix="concern", teams=None), "received_at") == "2026-12-01T09:30"


def test_changing_a_concern_keeps_its_own_received_time(world):
    stored = timezone.localtime(world.case.received_at).strftime("%Y-%m-%dT%H:%M")
    assert _shown(ConcernForm(instance=world.case, teams=None), "received_at") == stored


def test_recording_a_concern_still_takes_the_typed_time(world, login):
    from cases.models import Case

    response = login(world.practitioner).post("/cases/new/", concern_form_data(world.team_a))
    assert response.status_code == 302
    typed = concern_form_data(world.team_a)["concern-received_at"]
    assert timezone.localtime(Case.objects.latest("pk").received_at).strftime("%Y-%m-%dT%H:%M") == typed
