"""Account links go out through a real SMTP server (aiosmtpd, started by the test), and the
first lead of a fresh installation comes from `create_first_lead`."""

import io
import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, AuditEvent, Role, User
from accounts.tests.test_account_links import _complete, _local, verified_client

pytestmark = pytest.mark.django_db


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 and the settings a deployment would use to reach it."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "MSP Safeguarding <no-reply@safeguarding.example.org>"
    settings.SITE_URL = "https://safeguarding.example.org"
    yield inbox
    controller.stop()


def _received(inbox):
    (mail_from, rcpt_tos, content), *rest = inbox.messages
    assert rest == []
    return mail_from, rcpt_tos, message_from_bytes(content, policy=policy.default)


def _link(message):
    (url,) = re.findall(r"https://safeguarding\.example\.org/\S+", message.get_content())
    return url


def test_the_invitation_reaches_a_real_smtp_server_and_its_link_works(world, smtp_server, settings):
    settings.REQUIRE_2FA = True
    admin = verified_client(world.lead)
    response = admin.post(
        reverse("accounts:user_create"),
        {
            "username": "nova",
            "first_name": "Nova",
            "last_name": "Synthetic",
            "email": "nova@example.invalid",
            "role": Role.SAB_MEMBER,
            "is_active": "on",
        },
        follow=True,
    )
    assert "A one-time link has been emailed to nova." in response.content.decode()
    mail_from, rcpt_tos, message = _received(smtp_server)
    assert mail_from == "no-reply@safeguarding.example.org" and rcpt_tos == ["nova@example.invalid"]
    assert message["Subject"] == "MSP Safeguarding: set up your account"
    body = message.get_content()
    assert "72 hours" in body
    for case_detail in (str(world.case), world.case.team.name, "Nova", "Synthetic"):
        assert case_detail not in body
    client = Client()
    assert _complete(client, _link(message)).status_code == 302
    user = User.objects.get(username="nova")
    assert user.has_usable_password() and TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("reporting:index")).status_code == 200


def test_first_lead_is_created_without_a_password_and_gets_a_link_by_mail(smtp_server):
    out = io.StringIO()
    call_command("create_first_lead", "--username", "firstlead", "--email", "first@example.invalid", stdout=out)
    lead = User.objects.get(username="firstlead")
    assert lead.role == Role.LEAD and not lead.has_usable_password()
    printed = re.findall(r"https://safeguarding\.example\.org/\S+", out.getvalue())
    assert len(printed) == 1 and "emailed" in out.getvalue()
    _, rcpt_tos, message = _received(smtp_server)
    assert rcpt_tos == ["first@example.invalid"]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(lead.pk))
    assert event.actor is None and event.detail == "create_first_lead"
    # Either link (printed or mailed) sets the lead up; then both are spent.
    client = Client()
    assert _complete(client, printed[0]).status_code == 302
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    assert "This link does not work" in Client().get(_local(_link(message))).content.decode()


def test_first_lead_is_refused_once_an_active_lead_exists(world, smtp_server):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_first_lead", "--username", "second", "--email", "s@example.invalid", stdout=io.StringIO())
    assert not User.objects.filter(username="second").exists()
    assert smtp_server.messages == []


def test_first_lead_needs_the_site_address(settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("create_first_lead", "--username", "firstlead", "--email", "f@example.invalid")
    assert not User.objects.exists()


def test_first_lead_with_a_bad_email_is_refused(smtp_server):
    with pytest.raises(CommandError, match="email"):
        call_command("create_first_lead", "--username", "firstlead", "--email", "not-an-address", stdout=io.StringIO())
    assert not User.objects.exists()


def _mail_settings(**env):
    """The mail settings msp/settings.py reads from an environment like `env`."""
    import json
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_") and k != "DEBUG"}
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k) for k in "
        "('EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_USE_TLS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "msp.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_demo_prints_mail_and_production_reads_the_mail_server_from_the_environment():
    assert _mail_settings(DEBUG="true")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert _mail_settings(DEBUG="false")["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    from_url = _mail_settings(DEBUG="false", EMAIL_URL="smtp+tls://mailer:pw@mail.example.org:587")
    assert from_url == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_USE_TLS": True,
    }
    separate = _mail_settings(DEBUG="true", EMAIL_HOST="relay.example.org", EMAIL_PORT="2525", EMAIL_USE_TLS="true")
    assert separate["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (separate["EMAIL_HOST"], separate["EMAIL_PORT"], separate["EMAIL_USE_TLS"]) == (
        "relay.example.org",
        2525,
        True,
    )
