"""A session ends after 30 idle minutes; every request pushes the expiry forward."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_settings_make_the_session_an_idle_timeout():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_activity_keeps_the_session_and_thirty_idle_minutes_end_it(client):
    user = UserFactory(role=Role.SYSADMIN)
    page = reverse("accounts:user_list")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(user)
        assert client.get(page).status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(page).status_code == 200  # still signed in; this request refreshes the expiry
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get(page).status_code == 200  # 58 minutes in, but only 29 idle
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
