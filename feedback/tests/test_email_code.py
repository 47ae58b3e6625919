"""The anonymous route's code by email: a practitioner sends the person a one-time code; the
address is used for that one mail and kept nowhere; the mail says nothing of the person or the
case; a mail that cannot be sent issues no code."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import CaseEvent
from feedback import services
from feedback.models import FeedbackCode
from feedback.tests.anonymous import everything_stored

pytestmark = pytest.mark.django_db

ADDRESS = "sentinel-person-9f3a@example.invalid"


def _post(client, case, **data):
    return client.post(reverse("feedback:email_code", args=[case.pk]), data)


def test_the_person_is_emailed_a_code_that_opens_the_questionnaire_and_the_address_is_kept_nowhere(world, login):
    client = login(world.practitioner)
    page = client.get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert reverse("feedback:email_code", args=[world.case.pk]) in page
    form = client.get(reverse("feedback:email_code", args=[world.case.pk])).content.decode()
    assert not re.search(r'type="checkbox"[^>]*checked', form)  # the agreement is never pre-ticked
    assert AuditEvent.objects.filter(case_id=world.case.pk, action="view", detail="email feedback code").exists()
    sent = _post(client, world.case, email=ADDRESS, agreed="on")
    assert sent.status_code == 302
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    code = re.search(r"type this code: ([A-Z0-9-]+)", message.body).group(1)
    assert services.usable_code(code) is not None  # it opens the anonymous questionnaire
    stored = FeedbackCode.objects.get()
    assert stored.team == world.case.team and not hasattr(stored, "case_id")
    for personal in (world.case.person.display_name, world.case.ref, world.case.team.name):
        assert personal not in message.body and personal not in message.subject
    assert ADDRESS not in everything_stored()
    assert CaseEvent.objects.filter(case=world.case, kind="feedback:code_emailed").exists()
    event = AuditEvent.objects.get(detail="anonymous feedback code emailed")
    assert event.case_id == world.case.pk and event.actor == world.practitioner


def test_without_the_agreement_or_with_a_bad_address_nothing_is_sent_and_the_address_is_kept_on_the_form(world, login):
    client = login(world.practitioner)
    refused = _post(client, world.case, email=ADDRESS)
    assert refused.status_code == 200 and "Tick to confirm that the person agreed" in refused.content.decode()
    assert ADDRESS in refused.content.decode()  # what was typed is shown back
    bad = _post(client, world.case, email="not an address", agreed="on")
    assert "Enter an email address in the form name@example.org." in bad.content.decode()
    assert mail.outbox == [] and not FeedbackCode.objects.exists()


def test_a_mail_server_that_refuses_leaves_no_code_and_says_so(world, login, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    page = _post(login(world.practitioner), world.case, email=ADDRESS, agreed="on").content.decode()
    assert "The email could not be sent just now, so no code was issued." in page
    assert not FeedbackCode.objects.exists()
    assert not CaseEvent.objects.filter(kind="feedback:code_emailed").exists()
    assert ADDRESS not in caplog.text


def test_a_case_outside_the_users_scope_is_not_found(world, login):
    assert _post(login(world.outsider), world.case, email=ADDRESS, agreed="on").status_code == 404
    assert mail.outbox == []
