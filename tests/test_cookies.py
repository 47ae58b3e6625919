"""Session and CSRF cookies are Secure, HttpOnly and SameSite in production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]


def test_production_settings_protect_the_cookies():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SESSION_", "CSRF_", "SECURE_", "DEBUG"))}
    env.update(DEBUG="false", SECRET_KEY="x" * 60, DJANGO_SETTINGS_MODULE="msp.settings")
    code = (
        "import json; from django.conf import settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SECURE_SSL_REDIRECT]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [True, True, "Lax", True, True, True, True]


@pytest.mark.django_db
def test_session_cookie_set_at_sign_in_carries_the_flags(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    user = UserFactory()
    client.post(
        reverse("accounts:login"), {"username": user.username, "password": "correct-horse-battery-9"}, secure=True
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
