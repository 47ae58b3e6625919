"""Text messages, sent through a backend chosen by `SMS_BACKEND` (a dotted path), as Django
chooses its mail backend by `EMAIL_BACKEND`.

- `NotifyBackend`: GOV.UK Notify (`NOTIFY_API_KEY`, `NOTIFY_SMS_TEMPLATE_ID`, `NOTIFY_BASE_URL`,
  `NOTIFY_TIMEOUT`). The words are Notify's template; we send the number and the template's
  personalisation only.
- `ConsoleBackend`: the demo. Writes each text to stdout, as Django's console mail backend does.
- `LocmemBackend`: the tests. Appends each text to `outbox`, as Django's locmem mail backend does.
- `DisabledBackend`: no text messages. Pages that send one say they are not set up.

Every backend's failure (refused, unreachable, timed out) is raised as `SmsNotSent`, whatever
the gateway raised, so callers handle one exception.
"""

import sys
from typing import NamedTuple

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

#: What `LocmemBackend` sent, oldest first (cleared before each test).
outbox = []

#: The words of the feedback code text, with the personalisation filled in. Notify's template
#: (NOTIFY_SMS_TEMPLATE_ID) holds the same words, with ((code)), ((url)) and ((expires_on)).
TEMPLATE = "feedback/sms/code.txt"


class SmsNotSent(Exception):
    """The gateway refused the text or could not be reached."""


class Text(NamedTuple):
    """One text message: the number (E.164) and the template's personalisation."""

    to: str
    personalisation: dict

    @property
    def body(self):
        return render_to_string(TEMPLATE, self.personalisation).strip()


class BaseBackend:
    #: False when no text can be sent (the page offers nothing).
    available = True

    def send(self, *, to, personalisation):
        """Send one text to `to` (E.164, e.g. +447700900123); raise `SmsNotSent` if it cannot go."""
        raise NotImplementedError


class DisabledBackend(BaseBackend):
    available = False

    def send(self, *, to, personalisation):
        raise SmsNotSent("Text messages are not set up (SMS_BACKEND).")


class LocmemBackend(BaseBackend):
    def send(self, *, to, personalisation):
        outbox.append(Text(to, dict(personalisation)))


class ConsoleBackend(BaseBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to, personalisation):
        text = Text(to, dict(personalisation))
        self.stream.write(f"Text message to: {text.to}\n{text.body}\n{'-' * 79}\n")
        self.stream.flush()


class NotifyBackend(BaseBackend):
    """GOV.UK Notify, through its official client (`notifications-python-client`)."""

    def __init__(self):
        from django.core.exceptions import ImproperlyConfigured

        self.api_key = settings.NOTIFY_API_KEY
        self.template_id = settings.NOTIFY_SMS_TEMPLATE_ID
        if not (self.api_key and self.template_id):
            raise ImproperlyConfigured("NotifyBackend needs NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID.")
        self.base_url = settings.NOTIFY_BASE_URL
        self.timeout = settings.NOTIFY_TIMEOUT

    def send(self, *, to, personalisation):
        import requests
        from notifications_python_client.errors import APIError
        from notifications_python_client.notifications import NotificationsAPIClient

        try:
            client = NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)
            client.send_sms_notification(
                phone_number=to, template_id=self.template_id, personalisation=dict(personalisation)
            )
        except (APIError, requests.RequestException, OSError) as exc:  # APIError covers HTTPError
            raise SmsNotSent(type(exc).__name__) from None


def get_backend(path=None):
    """An instance of the backend named by `path` (default: `SMS_BACKEND`); disabled when empty."""
    path = path or settings.SMS_BACKEND
    return import_string(path)() if path else DisabledBackend()


def available():
    """Whether text messages can be sent here (False under `DisabledBackend`)."""
    return get_backend().available


def send(*, to, personalisation):
    get_backend().send(to=to, personalisation=personalisation)
