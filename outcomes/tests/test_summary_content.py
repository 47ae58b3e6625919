"""What the adult's summary says: plan lines as sentences, words written to them, and the open door."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes import rendering, services
from outcomes.forms import DeclinedSupportCorrectionForm, PlanActionCorrectionForm
from outcomes.models import PlanAction
from reporting.pdf import pdf_text

from .factories import DeclinedSupportFactory, NegotiatedOutcomeFactory, PlanActionFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def summary_text(world):
    summary = services.summary_request(case=world.case, actor=world.practitioner)
    rendering.summary_render(summary_id=summary.pk)
    summary.refresh_from_db()
    with summary.file.open("rb") as f:
        return " ".join(pdf_text(f.read()).split())


def test_plan_lines_read_as_sentences(world):
    PlanActionFactory(case=world.case, action="Ring the bank to stop the card.", responsible="Pat Demo")
    PlanActionFactory(case=world.case, action="NHS dentist visit", responsible="Age UK Demo", status="done")
    text = summary_text(world)
    assert "Pat Demo is doing this: ring the bank to stop the card." in text
    assert "Age UK Demo has done this: NHS dentist visit." in text
    assert "will:" not in text and ".." not in text and "(done)" not in text


def test_words_written_to_the_person_replace_the_practitioners_third_person_record(world):
    PlanActionFactory(
        case=world.case,
        action="Winnie's bank to reissue her cards to her only.",
        for_the_person="Your bank will send new cards to you, and only to you",
    )
    DeclinedSupportFactory(
        case=world.case,
        what_was_declined="Winnie declined the day centre place.",
        for_the_person="The day centre place is held for you for 4 weeks.",
    )
    NegotiatedOutcomeFactory(
        desired_outcome__case=world.case,
        words="Winnie can choose whether to speak to the police.",
        for_the_person="You can choose whether to speak to the police.",
    )
    text = summary_text(world)
    assert "Winnie" not in text
    assert "Your bank will send new cards to you, and only to you." in text
    assert "The day centre place is held for you for 4 weeks." in text
    assert "You can choose whether to speak to the police." in text


def test_declined_support_and_its_open_door_are_in_the_summary(world):
    today = timezone.localdate()
    DeclinedSupportFactory(
        case=world.case, what_was_declined="A day centre place.", follow_up_on=today + datetime.timedelta(days=28)
    )
    text = summary_text(world)
    assert "Support you said no to" in text
    assert "You said no to this: a day centre place." in text
    assert "You can change your mind at any time." in text
    assert f"We will ask you again by {(today + datetime.timedelta(days=28)):%-d %B %Y}." in text
    assert "keep you or other people safe" not in text


def test_a_done_follow_up_is_not_promised_again_and_an_override_is_said_without_its_reason(world):
    DeclinedSupportFactory(
        case=world.case,
        what_was_declined="A refuge place.",
        override_reason="coercion",
        override_detail="Synthetic detail that must stay in the record.",
        follow_up_on=timezone.localdate() + datetime.timedelta(days=3),
        follow_up_done_at=timezone.now(),
    )
    text = summary_text(world)
    assert "You can change your mind at any time." in text
    assert "We will ask you again" not in text
    assert "We still needed to do some things to keep you or other people safe." in text
    assert "Synthetic detail" not in text and "coercion" not in text.lower()


def test_the_plan_form_takes_words_to_the_person_and_a_correction_can_change_them(world, login):
    client = login(world.practitioner)
    page = client.get(reverse("outcomes:plan_action_add", args=[world.case.pk])).content.decode()
    assert "In your words to the person (for their summary)" in page
    response = client.post(
        reverse("outcomes:plan_action_add", args=[world.case.pk]),
        {
            "action": "Bank to add a marker",
            "responsible": "Synthetic Bank",
            "due_on": timezone.localdate().isoformat(),
            "for_the_person": "Your bank will watch your account for you.",
        },
    )
    assert response.status_code == 302
    assert PlanAction.objects.get(case=world.case).for_the_person == "Your bank will watch your account for you."
    assert "for_the_person" in PlanActionCorrectionForm.base_fields
    assert "for_the_person" in DeclinedSupportCorrectionForm.base_fields
