"""The anonymous route's code by text message: a practitioner texts the person a one-time code;
the number is used for that one text and kept nowhere; the text says nothing of the person or
the case; a text that cannot be sent issues no code; where texts are not set up, the page says
so and offers nothing. GOV.UK Notify's side is a real HTTP server on 127.0.0.1.

Every number is from Ofcom's ranges for drama (07700 900000 to 900999, 020 7946 0000 to 0999).
"""

import io
import json
import logging
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import CaseEvent
from feedback import services, sms
from feedback.forms import MOBILE_INVALID, SmsCodeForm
from feedback.models import FeedbackCode
from feedback.tests.anonymous import everything_stored

pytestmark = pytest.mark.django_db

TYPED = "07700 900427"
E164 = "+447700900427"
#: The number in every form it could be stored in: as typed, without spaces, national, E.164.
NUMBER_FORMS = (TYPED, "07700900427", "7700900427", E164, "7700 900427")

SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
FAKE_KEY = f"msp_test-{SERVICE_ID}-{SECRET}"  # Notify's format: key name, service id, secret
TEMPLATE_ID = str(uuid.uuid4())


def _url(case):
    return reverse("feedback:text_code", args=[case.pk])


def _post(client, case, **data):
    return client.post(_url(case), data)


def _assert_number_nowhere(text):
    for form in NUMBER_FORMS:
        assert form not in text


def test_the_person_is_texted_a_code_that_opens_the_questionnaire_and_the_number_is_kept_nowhere(world, login, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(world.practitioner)
    page = client.get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert _url(world.case) in page and reverse("feedback:email_code", args=[world.case.pk]) in page
    form = client.get(_url(world.case)).content.decode()
    assert form.count("<h1") == 1 and "novalidate" in form and 'name="submission_key"' in form
    assert re.search(r'<label\s+for="id_number"', form) and re.search(r'<label\s+for="id_agreed"', form)
    assert not re.search(r'type="checkbox"[^>]*checked', form)  # the agreement is never pre-ticked
    assert AuditEvent.objects.filter(case_id=world.case.pk, action="view", detail="text feedback code").exists()

    sent = _post(client, world.case, number=TYPED, agreed="on")
    assert sent.status_code == 302
    assert sent["Location"] == reverse("outcomes:enquiry", args=[world.case.pk]) + "#feedback-heading"
    (text,) = sms.outbox
    assert text.to == E164  # sent as E.164
    assert set(text.personalisation) == {"code", "url", "expires_on"}
    code = re.search(r"Your code is ([A-Z0-9-]+)\.", text.body).group(1)
    assert code == text.personalisation["code"]
    assert services.usable_code(code) is not None  # it opens the anonymous questionnaire
    assert text.personalisation["url"].endswith(reverse("tell_us:start"))
    stored = FeedbackCode.objects.get()
    assert stored.team == world.case.team and not hasattr(stored, "case_id")
    assert text.personalisation["expires_on"] == f"{stored.expires_on.day} {stored.expires_on:%B %Y}"
    for personal in (world.case.person.display_name, world.case.ref, world.case.team.name):
        assert personal not in text.body

    event = CaseEvent.objects.get(case=world.case, kind="feedback:code_texted")
    assert "texted" in event.summary
    audit = AuditEvent.objects.get(detail="anonymous feedback code texted")
    assert audit.case_id == world.case.pk and audit.actor == world.practitioner
    _assert_number_nowhere(everything_stored())
    _assert_number_nowhere(caplog.text)
    followed = client.get(sent["Location"]).content.decode()
    assert "The code for the anonymous questionnaire was texted to the person." in followed


@pytest.mark.parametrize(
    "typed",
    ["+44 7700 900427", "+447700900427", "0044 7700 900427", "07700-900-427", "(07700) 900427", " 07700 900 427 "],
)
def test_the_ways_people_write_a_uk_mobile_number_are_sent_as_one_number(typed):
    form = SmsCodeForm({"number": typed, "agreed": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == E164


@pytest.mark.parametrize(
    "typed",
    [
        "020 7946 0000",  # a landline (London's drama range)
        "07700 9004",  # too short
        "07700 9004271",  # too long
        "seven seven zero zero",  # letters
        "07700 9OO427",  # letters that look like digits
        "07700\x00900427",  # a NUL character
        "+1 202 555 0143",  # not a UK number
        "0" * 500,  # over-long
    ],
)
def test_a_number_that_is_not_a_uk_mobile_is_refused_with_the_message_and_kept_on_the_form(world, login, typed):
    response = _post(login(world.practitioner), world.case, number=typed, agreed="on")
    body = response.content.decode()
    assert response.status_code == 200
    assert MOBILE_INVALID in body
    assert f'value="{typed.strip()}"' in body  # what was typed is shown back
    assert sms.outbox == [] and not FeedbackCode.objects.exists()
    assert not CaseEvent.objects.filter(kind="feedback:code_texted").exists()


def test_without_the_agreement_nothing_is_sent_and_the_number_is_kept_on_the_form(world, login):
    refused = _post(login(world.practitioner), world.case, number=TYPED)
    body = refused.content.decode()
    assert refused.status_code == 200 and "Tick to confirm that the person agreed to be texted the code." in body
    assert TYPED in body
    assert not re.search(r'type="checkbox"[^>]*checked', body)
    empty = _post(login(world.practitioner), world.case, agreed="on").content.decode()
    assert "Enter the mobile phone number to send the code to." in empty
    assert sms.outbox == [] and not FeedbackCode.objects.exists()


class RefusingBackend(sms.BaseBackend):
    def send(self, *, to, personalisation):
        raise sms.SmsNotSent("refused")


def test_a_gateway_that_refuses_leaves_no_code_and_says_so(world, login, settings, caplog):
    settings.SMS_BACKEND = f"{__name__}.RefusingBackend"
    page = _post(login(world.practitioner), world.case, number=TYPED, agreed="on").content.decode()
    assert "The text message could not be sent just now, so no code was issued. Try again later." in page
    assert TYPED in page  # the form is shown again, as typed
    assert not FeedbackCode.objects.exists()
    assert not CaseEvent.objects.filter(kind="feedback:code_texted").exists()
    assert not AuditEvent.objects.filter(detail="anonymous feedback code texted").exists()
    assert "Feedback code text message not sent: SmsNotSent" in caplog.text
    _assert_number_nowhere(caplog.text)


@pytest.mark.parametrize("backend", ["feedback.sms.DisabledBackend", ""])
def test_where_texts_are_not_set_up_the_page_says_so_and_offers_nothing(world, login, settings, backend):
    settings.SMS_BACKEND = backend
    client = login(world.practitioner)
    for response in (client.get(_url(world.case)), _post(client, world.case, number=TYPED, agreed="on")):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Text messages are not set up here" in body
        assert 'name="number"' not in body
        assert reverse("feedback:email_code", args=[world.case.pk]) in body  # the email route still works
    assert sms.outbox == [] and not FeedbackCode.objects.exists()
    assert not CaseEvent.objects.filter(kind="feedback:code_texted").exists()


def test_the_demo_prints_the_text_to_the_console(world):
    stream = io.StringIO()
    sms.ConsoleBackend(stream=stream).send(
        to=E164, personalisation={"code": "ABCD-EFGH-JK", "url": "http://x/feedback/", "expires_on": "1 May 2026"}
    )
    printed = stream.getvalue()
    assert E164 in printed and "Your code is ABCD-EFGH-JK." in printed and "until 1 May 2026" in printed


def test_a_case_outside_the_users_scope_is_not_found_and_a_board_member_is_refused(world, login):
    assert _post(login(world.outsider), world.case, number=TYPED, agreed="on").status_code == 404
    assert login(world.outsider).get(_url(world.case)).status_code == 404
    assert _post(login(world.sab_member), world.case, number=TYPED, agreed="on").status_code == 403
    assert sms.outbox == [] and not FeedbackCode.objects.exists()


# --- GOV.UK Notify, through its client, against a real local HTTP server ------------------------


class FakeNotify:
    """POST /v2/notifications/sms on 127.0.0.1: keeps each request's JSON body and Authorization
    header, and answers `status` with a Notify-shaped body."""

    def __init__(self, status=201):
        self.status, self.requests = status, []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                owner.requests.append({"path": self.path, "body": body, "authorization": self.headers["Authorization"]})
                if self.path != "/v2/notifications/sms":
                    status, answer = 404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "No"}]}
                elif owner.status == 201:
                    status, answer = (
                        201,
                        {
                            "id": str(uuid.uuid4()),
                            "reference": None,
                            "content": {"body": "The text", "from_number": "GOVUK"},
                            "uri": "https://api.notifications.service.gov.uk/v2/notifications/1",
                            "template": {
                                "id": body.get("template_id"),
                                "version": 1,
                                "uri": "https://example.invalid/t",
                            },
                        },
                    )
                else:
                    status = owner.status
                    answer = {"status_code": status, "errors": [{"error": "Error", "message": "Refused for the test"}]}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass  # quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def notify(settings, monkeypatch):
    """Texts go to GOV.UK Notify, pointed at the fake server (no proxy in between)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    def _notify(status=201):
        fake = FakeNotify(status)
        settings.SMS_BACKEND = "feedback.sms.NotifyBackend"
        settings.NOTIFY_API_KEY, settings.NOTIFY_SMS_TEMPLATE_ID = FAKE_KEY, TEMPLATE_ID
        settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT = fake.url, 5
        return fake

    return _notify


def test_notify_is_sent_the_number_the_template_and_its_personalisation_with_a_signed_token(
    world, login, notify, caplog
):
    caplog.set_level(logging.DEBUG)
    with notify() as fake:
        sent = _post(login(world.practitioner), world.case, number=TYPED, agreed="on")
    assert sent.status_code == 302
    (request,) = fake.requests
    assert request["path"] == "/v2/notifications/sms"
    body = request["body"]
    assert body["phone_number"] == E164 and body["template_id"] == TEMPLATE_ID
    assert set(body["personalisation"]) == {"code", "url", "expires_on"}
    assert services.usable_code(body["personalisation"]["code"]) is not None
    scheme, token = request["authorization"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # signed with the key's secret
    assert claims["iss"] == SERVICE_ID and "iat" in claims
    assert CaseEvent.objects.filter(case=world.case, kind="feedback:code_texted").exists()
    assert sms.outbox == []
    _assert_number_nowhere(everything_stored())
    _assert_number_nowhere(caplog.text)


@pytest.mark.parametrize("status", [400, 500])
def test_notify_refusing_the_text_issues_no_code_and_says_so(world, login, notify, caplog, status):
    caplog.set_level(logging.DEBUG)
    with notify(status) as fake:
        page = _post(login(world.practitioner), world.case, number=TYPED, agreed="on").content.decode()
    assert len(fake.requests) == 1
    assert "The text message could not be sent just now, so no code was issued. Try again later." in page
    assert not FeedbackCode.objects.exists()
    assert not CaseEvent.objects.filter(kind="feedback:code_texted").exists()
    assert not AuditEvent.objects.filter(detail="anonymous feedback code texted").exists()
    _assert_number_nowhere(caplog.text)


def test_notify_out_of_reach_issues_no_code(world, login, notify):
    fake = notify()  # never started
    fake.server.server_close()  # nothing listens on its port now
    page = _post(login(world.practitioner), world.case, number=TYPED, agreed="on").content.decode()
    assert "The text message could not be sent just now, so no code was issued." in page
    assert not FeedbackCode.objects.exists()


def test_the_notify_backend_turns_every_client_error_into_one_exception(notify):
    with notify(500) as fake, pytest.raises(sms.SmsNotSent) as raised:
        sms.get_backend().send(to=E164, personalisation={"code": "A", "url": "u", "expires_on": "e"})
    assert str(raised.value) == "HTTPError" and fake.requests
