"""The public concern form: a member of the public and a professional raise a concern online."""

import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from frontdoor.models import Submission
from frontdoor.tests.factories import front_door_team
from frontdoor.tests.walk import PROFESSIONAL, PUBLIC, fill_in, submit

pytestmark = pytest.mark.django_db


def test_member_of_the_public_sends_a_report_and_gets_a_reference_by_email(client):
    response = submit(client, PUBLIC)
    assert response.status_code == 302 and response["Location"] == reverse("report:done")
    submission = Submission.objects.get()
    assert submission.referrer_type == "public"
    assert submission.adult_name == "Edna Synthetica" and submission.adult_approximate_age == 85
    assert submission.adult_knows == "no" and submission.adult_agrees == ""
    assert submission.others_at_risk_children is False and submission.others_at_risk_adults is False
    done = client.get(reverse("report:done"))
    page = done.content.decode()
    assert submission.reference in page
    assert "Edna" not in page and "Eddie" not in page and "Shouting" not in page
    [email] = mail.outbox
    assert email.to == ["neighbour.synthetic@example.com"]
    assert submission.reference in email.subject and submission.reference in email.body
    for detail in ("Edna", "Eddie", "Synthetic Row", "Shouting", "nephew"):
        assert detail not in email.body and detail not in email.subject


def test_a_professional_report_keeps_their_sector_and_work_contact(client):
    submit(client, PROFESSIONAL)
    submission = Submission.objects.get()
    assert submission.referrer_type == "health"
    assert submission.referrer_organisation == "Synthetic Surgery"
    assert submission.adult_nhs_number == "9434765919"
    assert str(submission.adult_date_of_birth) == "1938-04-11"
    assert submission.others_at_risk_adults is True
    assert AuditEvent.objects.filter(object_type="frontdoor.submission", action="create").count() == 1


def test_the_check_page_shows_every_answer_with_a_change_link(client):
    fill_in(client, PROFESSIONAL)
    page = client.get(reverse("report:check")).content.decode()
    for shown in ("Synthetic Surgery", "Walter Synthetico", "Unexplained bruising", "Care home – residential"):
        assert shown in page
    assert f'href="{reverse("report:step", args=["adult"])}?change=1"' in page


def test_changing_an_answer_from_the_check_page_goes_back_to_it(client):
    fill_in(client, PUBLIC)
    response = client.post(
        reverse("report:step", args=["adult"]), {**PUBLIC["adult"], "adult_name": "Edna Changed", "then": "check"}
    )
    assert response["Location"] == reverse("report:check")
    assert "Edna Changed" in client.get(reverse("report:check")).content.decode()


def test_bad_input_gets_a_clear_message_and_keeps_everything_typed(client):
    fill_in(client, {k: PROFESSIONAL[k] for k in ("danger", "who")})
    typed = {**PROFESSIONAL["about-you"], "referrer_email": "not-an-address", "referrer_role": "Practice nurse"}
    response = client.post(reverse("report:step", args=["about-you"]), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter an email address in the correct format" in page
    for value in ("Synthetic Surgery", "Practice nurse", "Dr Syn Thetic", "not-an-address"):
        assert value in page


def test_a_reason_is_needed_when_the_adult_does_not_know(client):
    fill_in(client, {k: PUBLIC[k] for k in ("danger", "who", "about-you")})
    response = client.post(reverse("report:step", args=["consent"]), {"adult_knows": "no"})
    assert "Tell us why the adult does not know or does not agree." in response.content.decode()


def test_date_of_birth_or_approximate_age_is_needed(client):
    fill_in(client, {k: PUBLIC[k] for k in ("danger", "who", "about-you", "consent")})
    response = client.post(reverse("report:step", args=["adult"]), {"adult_name": "Edna Synthetica"})
    assert "Enter their date of birth or their approximate age." in response.content.decode()


def test_pages_cannot_be_skipped(client):
    response = client.get(reverse("report:step", args=["adult"]))
    assert response["Location"] == reverse("report:step", args=["danger"])
    assert "not answered yet" in client.get(reverse("report:check")).content.decode()
    assert client.get(reverse("report:step", args=["no-such-page"])).status_code == 404


def test_nothing_typed_goes_into_a_web_address(client):
    locations = [r["Location"] for r in fill_in(client, PUBLIC)]
    locations.append(client.post(reverse("report:check"))["Location"])
    typed = [v for page in PUBLIC.values() for v in page.values() if isinstance(v, str) and len(v) > 3]
    for location in locations:
        assert "?" not in location
        for value in typed:
            assert value not in location


def test_nothing_typed_goes_into_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    submit(client, PUBLIC)
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    for value in ("Edna", "Synthetic Row", "neighbour.synthetic", "Shouting"):
        assert value not in logged


def test_the_honeypot_refuses_a_robot(client):
    fill_in(client, {**PUBLIC, "who": {"reporter": "public", "website": "http://spam.example"}})
    response = client.post(reverse("report:check"))
    assert response.status_code == 400
    assert not Submission.objects.exists() and not mail.outbox


def test_the_honeypot_on_the_last_page_refuses_too(client):
    fill_in(client, PUBLIC)
    assert client.post(reverse("report:check"), {"website": "x"}).status_code == 400
    assert not Submission.objects.exists()


def test_one_address_is_rate_limited_and_another_is_not(settings):
    settings.FRONT_DOOR_SUBMIT_RATE = "2/h"
    abusive = Client(REMOTE_ADDR="192.0.2.10")
    assert submit(abusive, PUBLIC).status_code == 302
    assert submit(abusive, PUBLIC).status_code == 302
    refused = submit(abusive, PUBLIC)
    assert refused.status_code == 429 and "Too many reports" in refused.content.decode()
    assert submit(Client(REMOTE_ADDR="192.0.2.11"), PUBLIC).status_code == 302
    assert Submission.objects.count() == 3


def test_posting_pages_too_fast_is_rate_limited(settings, client):
    settings.FRONT_DOOR_STEP_RATE = "3/m"
    for _ in range(3):
        assert client.post(reverse("report:step", args=["danger"]), {"immediate_danger": "no"}).status_code == 302
    assert client.post(reverse("report:step", args=["danger"]), {"immediate_danger": "no"}).status_code == 429


def test_too_long_text_is_refused_with_its_length_and_kept(client):
    fill_in(client, {k: PUBLIC[k] for k in ("danger", "who", "about-you", "consent", "adult")})
    long_text = "Synthetic." * 1001
    response = client.post(
        reverse("report:step", args=["what-happened"]), {"what_happened": long_text, "where_happened": "own_home"}
    )
    page = response.content.decode()
    assert "10,000 characters or fewer (you entered 10,010)" in page
    assert long_text.strip() in page


def test_the_form_needs_the_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(reverse("report:step", args=["danger"])).status_code == 200
    assert strict.post(reverse("report:step", args=["danger"]), {"immediate_danger": "no"}).status_code == 403


def test_sending_twice_keeps_one_report(client):
    submit(client, PUBLIC)
    again = client.post(reverse("report:check"))
    assert again["Location"] == reverse("report:done")
    assert Submission.objects.count() == 1


def test_call_999_is_on_the_first_question(client):
    front_door_team(None)
    page = client.get(reverse("report:step", args=["danger"])).content.decode()
    assert "call 999 now" in page
    assert "call 999 now" in client.get(reverse("report:start")).content.decode()


def test_a_submission_is_kept_exactly_as_sent(client):
    submit(client, PUBLIC)
    submission = Submission.objects.get()
    submission.adult_name = "Someone Else"
    with pytest.raises(ValidationError):
        submission.save()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(adult_name="Someone Else")
    assert Submission.objects.get().adult_name == "Edna Synthetica"


def test_a_mail_server_that_fails_loses_no_report(client, settings):
    settings.EMAIL_BACKEND = "frontdoor.tests.test_public_form.FailingBackend"
    assert submit(client, PUBLIC)["Location"] == reverse("report:done")
    assert Submission.objects.count() == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError
