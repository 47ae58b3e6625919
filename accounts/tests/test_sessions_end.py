"""Sessions end on sign-out, on deactivation and, for other devices, on password change."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def _signed_in(user):
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _is_signed_in(client):
    return client.get(reverse("accounts:user_list")).status_code == 200


def test_signing_out_ends_the_session():
    user = UserFactory(role=Role.SYSADMIN)
    client = _signed_in(user)
    assert _is_signed_in(client)
    client.post(reverse("accounts:logout"))
    assert not _is_signed_in(client)
    assert "_auth_user_id" not in client.session


def test_deactivated_user_is_anonymous_on_the_next_request():
    user = UserFactory(role=Role.SYSADMIN)
    client = _signed_in(user)
    assert _is_signed_in(client)
    user.is_active = False
    user.save()
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_signs_out_other_sessions_but_keeps_this_one():
    user = UserFactory(role=Role.SYSADMIN)
    here, elsewhere = _signed_in(user), _signed_in(user)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-Granite-Otter-42",
            "new_password2": "Fresh-Granite-Otter-42",
        },
    )
    assert response.status_code == 302
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)


def _user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_deactivation_on_the_user_admin_page_ends_the_users_sessions_for_good():
    admin = UserFactory(role=Role.SYSADMIN)
    user = UserFactory(role=Role.SYSADMIN)
    theirs = _signed_in(user)
    assert _is_signed_in(theirs)
    administrator = _signed_in(admin)
    url = reverse("accounts:user_edit", args=[user.pk])
    assert administrator.post(url, _user_form(user, is_active=None)).status_code == 302
    assert not _is_signed_in(theirs)
    # Reactivating the account later does not bring the old session back: it was ended, not paused.
    assert administrator.post(url, _user_form(user)).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert not _is_signed_in(theirs)
    assert _is_signed_in(_signed_in(user))  # signing in again works
    assert _is_signed_in(administrator)  # the administrator's own session is untouched
