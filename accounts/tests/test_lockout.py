"""django-axes locks a username out after at most ten failed sign-ins."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def test_lockout_limit_is_at_most_ten():
    assert settings.AXES_FAILURE_LIMIT <= 10


def test_eleventh_attempt_with_the_right_password_is_refused(client):
    user = UserFactory(username="lockme")
    login_url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login_url, {"username": user.username, "password": "wrong-guess-123"})
        assert "_auth_user_id" not in client.session
    response = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client):
    user = UserFactory(username="nearly")
    login_url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login_url, {"username": user.username, "password": "wrong-guess-123"})
    response = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_administrator_unlocks_a_locked_out_account(client, world):
    from accounts.models import AuditEvent

    user = world.practitioner
    login_url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url, {"username": user.username, "password": "wrong-guess-123"})
    assert client.post(login_url, {"username": user.username, "password": PASSWORD}).status_code == 429

    client.force_login(world.sysadmin)
    edit = client.get(reverse("accounts:user_edit", args=[user.pk])).content.decode()
    assert "Unlock sign-in" in edit
    assert client.post(reverse("accounts:user_unlock", args=[user.pk])).status_code == 302
    event = AuditEvent.objects.get(fields=["sign_in_lockout"])
    assert event.actor == world.sysadmin and event.changes == {"locked_out": [True, False]}
    client.logout()
    assert client.post(login_url, {"username": user.username, "password": PASSWORD}).status_code == 302


def test_nobody_unlocks_their_own_account(client, world):
    client.force_login(world.sysadmin)
    assert client.post(reverse("accounts:user_unlock", args=[world.sysadmin.pk])).status_code == 403
