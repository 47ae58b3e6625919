"""Small frictions on the MSP record: success messages read as sentences naming what was saved,
dates whose likely answer is today start at today (never a SAC-bearing answer), and each
negotiated row offers one clear "Change" per thing."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from outcomes import forms

from .factories import DesiredOutcomeFactory, NegotiatedOutcomeFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
ON = "2026-11-30"


def _case_url(name, world):
    return reverse(f"outcomes:{name}", args=[world.case.pk])


RECORDS = [
    (
        "conversation_add",
        {
            "held_on": ON,
            "mode": "phone",
            "with_adult": "on",
            "spoken_to_alone": "True",
            "outcomes_discussion": "none_expressed",
        },
        "Conversation saved.",
    ),
    (
        "desired_outcome_add",
        {"words": "I want to stay at home.", "expressed_by": "adult", "expressed_on": ON},
        "Desired outcome saved.",
    ),
    (
        "capacity_add",
        {
            "decision": "Managing money",
            "about_the_enquiry": "False",
            "outcome": "has_capacity",
            "assessed_on": ON,
            "assessor": "Synthetic Assessor",
        },
        "Capacity assessment saved.",
    ),
    ("advocacy_add", {"kind": "none", "from_date": ON}, "Advocacy saved."),
    (
        "declined_add",
        {
            "declined_on": ON,
            "what_was_declined": "A day centre place.",
            "what_was_explained": "It is held for four weeks.",
            "follow_up_on": "2026-12-28",
        },
        "Declined support saved.",
    ),
    (
        "plan_action_add",
        {"action": "Bank to stop the cards.", "responsible": "Example Bank", "due_on": "2026-12-20"},
        "Protection plan action added.",
    ),
]


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(("name", "data", "message"), RECORDS, ids=[r[0] for r in RECORDS])
def test_saving_a_record_says_what_was_saved_in_a_sentence(world, login, name, data, message):
    response = login(world.practitioner).post(_case_url(name, world), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]


def test_changing_and_negotiating_an_outcome_say_what_was_saved(world, login):
    desired = DesiredOutcomeFactory(case=world.case)
    client = login(world.practitioner)
    response = client.post(
        reverse("outcomes:negotiated_outcome_edit", args=[desired.pk]),
        {
            "words": "Stay at home with daily visits.",
            "reason": "not_possible",
            "reason_detail": "No night care.",
            "explained_to_adult": "False",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "Negotiated outcome saved."
    response = client.post(
        reverse("outcomes:desired_outcome_edit", args=[desired.pk]),
        {
            "words": "I want to move near my daughter.",
            "expressed_by": desired.expressed_by,
            "expressed_on": desired.expressed_on.isoformat(),
            "change_reason": "She changed her mind.",
            "version": desired.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "Desired outcome changed."


# --- dates that start at today -------------------------------------------------------------


def _shown(form, name):
    html = str(form[name])
    return html.split('value="', 1)[1].split('"', 1)[0] if 'value="' in html else ""


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (forms.ConversationForm, "held_on"),
        (forms.DesiredOutcomeForm, "expressed_on"),
        (forms.DeclinedSupportForm, "declined_on"),
    ],
)
def test_a_date_that_is_usually_today_starts_at_today_on_a_new_record(form_class, name):
    assert _shown(form_class(), name) == TODAY.isoformat()


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_conversation_page_shows_today_as_its_date(world, login):
    response = login(world.practitioner).get(_case_url("conversation_add", world))
    assert _shown(response.context["form"], "held_on") == TODAY.isoformat()
    assert f'value="{TODAY.isoformat()}"' in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_a_correction_keeps_the_records_own_date(world):
    from .factories import ConversationFactory

    conversation = ConversationFactory(case=world.case, held_on=datetime.date(2026, 11, 2))
    assert _shown(forms.ConversationCorrectionForm(instance=conversation), "held_on") == "2026-11-02"


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_a_posted_empty_date_is_still_asked_for_not_filled_in(world, login):
    data = dict(RECORDS[0][1], held_on="")
    response = login(world.practitioner).post(_case_url("conversation_add", world), data)
    assert response.status_code == 200
    assert world.case.conversations.count() == 0


def test_no_sac_bearing_answer_starts_answered():
    """Dates start at today; the answers a statutory return counts never start answered."""
    conversation = forms.ConversationForm()
    assert conversation["outcomes_discussion"].value() in (None, "")
    capacity = forms.CapacityAssessmentForm()
    assert capacity["about_the_enquiry"].value() in (None, "")
    assert capacity["assessed_on"].value() in (None, "")


# --- one clear "Change" per thing on a negotiated row ----------------------------------------


def test_each_outcome_row_names_what_each_change_link_changes(world, login):
    negotiated = NegotiatedOutcomeFactory(desired_outcome=DesiredOutcomeFactory(case=world.case))
    DesiredOutcomeFactory(case=world.case)
    body = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    edit = reverse("outcomes:desired_outcome_edit", args=[negotiated.desired_outcome.pk])
    negotiate = reverse("outcomes:negotiated_outcome_edit", args=[negotiated.desired_outcome.pk])
    assert body.count(f'href="{edit}"') == 1
    assert body.count(f'href="{negotiate}"') == 1
    assert f'href="{edit}">Change what they wanted<' in body
    assert f'href="{negotiate}">Change what was agreed<' in body
    assert ">Record what was agreed<" in body  # the row not yet negotiated
    assert ">Change<" not in body and "Change negotiated version" not in body
