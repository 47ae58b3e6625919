"""Logs are JSON lines and never carry what people typed into forms."""

import io
import json
import logging

import pytest
from django.urls import reverse

from accounts.jsonlog import JsonFormatter

pytestmark = pytest.mark.django_db

SENTINEL = "Sentinel-Zq7Kx3-Personal"


@pytest.fixture
def captured_logs():
    """Every record from every logger, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def test_formatter_writes_one_json_object_per_line():
    record = logging.LogRecord("msp.test", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "msp.test"
    assert entry["message"] == "hello world"


def test_settings_use_the_json_formatter():
    from django.conf import settings

    assert settings.LOGGING["formatters"]["json"]["()"] == "accounts.jsonlog.JsonFormatter"


def test_values_typed_into_forms_never_reach_the_logs(world, client, captured_logs, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):  # fails, then locks out: axes logs both
        client.post(reverse("accounts:login"), {"username": SENTINEL, "password": SENTINEL})
    client.force_login(world.sysadmin)
    client.post(reverse("accounts:user_create"), {"username": SENTINEL, "first_name": SENTINEL, "password": "x"})
    client.post(reverse("accounts:team_create"), {"name": SENTINEL + "x" * 200})
    client.get(reverse("cases:list") + f"?q={SENTINEL}")
    client.post(reverse("accounts:user_reset_two_factor", args=[999999]), {"note": SENTINEL})
    output = captured_logs.getvalue()
    assert output.strip(), "expected some log lines from the requests above"
    for line in output.strip().splitlines():
        json.loads(line)
    assert SENTINEL not in output
