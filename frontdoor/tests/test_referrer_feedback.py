"""Feedback to the referrer: what was shared, when, what was withheld; an email to a professional."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import CaseEvent
from cases.tests.factories import CaseFactory
from frontdoor.models import ReferrerFeedback, Screening
from frontdoor.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def _online_case(world, **submission):
    case = CaseFactory(team=world.team_a, referrer_type=submission.get("referrer_type", "health"))
    Screening.objects.create(
        submission=SubmissionFactory(**submission), outcome="concern", case=case, screened_by=world.practitioner
    )
    return case


def _post(client, case, **data):
    return client.post(
        reverse("frontdoor:feedback", args=[case.pk]),
        {"shared_on": datetime.date.today().isoformat(), "submission_key": "b" * 32, **data},
    )


def test_feedback_is_recorded_and_shown_in_the_chronology(world, login):
    client = login(world.practitioner)
    response = _post(
        client,
        world.case,
        what_was_shared="Told them an enquiry has started.",
        withheld_reason="The adult asked that the outcome is not shared.",
    )
    assert response["Location"] == reverse("cases:detail", args=[world.case.pk])
    feedback = ReferrerFeedback.objects.get(case=world.case)
    assert feedback.emailed_at is None and feedback.recorded_by == world.practitioner
    event = CaseEvent.objects.get(case=world.case, kind="referrer_feedback")
    assert "Told them an enquiry has started." in event.summary and "Withheld: The adult asked" in event.summary
    page = client.get(reverse("cases:chronology", args=[world.case.pk])).content.decode()
    assert "Feedback to the referrer recorded" in page
    assert not mail.outbox


def test_a_professional_referrer_is_emailed_a_short_update_with_no_detail_of_the_adult(world, login):
    case = _online_case(world, referrer_email="police.synthetic@example.org", referrer_type="police")
    client = login(world.practitioner)
    page = client.get(reverse("frontdoor:feedback", args=[case.pk])).content.decode()
    assert "Email this update to the referrer" in page
    _post(client, case, what_was_shared="An enquiry has started; we will tell you if we need you.", send_email="on")
    [email] = mail.outbox
    reference = case.front_door_screening.submission.reference
    assert email.to == ["police.synthetic@example.org"] and reference in email.subject
    assert "An enquiry has started" in email.body
    for detail in (case.person.legal_name, case.person.preferred_name, case.what_happened, case.ref):
        assert detail not in email.body and detail not in email.subject
    assert ReferrerFeedback.objects.get(case=case).emailed_at is not None
    assert "emailed to the referrer" in CaseEvent.objects.get(case=case, kind="referrer_feedback").summary


def test_a_member_of_the_public_is_not_offered_an_email_update(world, login):
    case = _online_case(world, referrer_type="public", referrer_email="neighbour.synthetic@example.com")
    client = login(world.practitioner)
    assert "Email this update" not in client.get(reverse("frontdoor:feedback", args=[case.pk])).content.decode()
    _post(client, case, what_was_shared="Thanked them; the team is looking into it.", send_email="on")
    assert not mail.outbox


def test_what_was_shared_is_needed_and_what_was_typed_is_kept(world, login):
    response = _post(login(world.practitioner), world.case, withheld_reason="Synthetic withheld")
    page = response.content.decode()
    assert "Say what was shared with the referrer." in page and "Synthetic withheld" in page
    assert not ReferrerFeedback.objects.exists()


def test_feedback_can_be_recorded_after_the_case_closed(world, login):
    closed = CaseFactory(team=world.team_a, state="closed")
    _post(login(world.practitioner), closed, what_was_shared="Told them the enquiry has ended.")
    assert ReferrerFeedback.objects.filter(case=closed).exists()
