"""No administrator ever knows a user's password: the three takeovers of issue 12, as attacks.

Each test plays the administrator trying to end up signed in as someone else (or as an
account whose password they chose) and fails if the attack works.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.tests.test_account_links import verified_client

pytestmark = pytest.mark.django_db

KNOWN = "Velvet-Harbour-Compass-31"


def _code(key):
    device = TOTPDevice(key=key)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def _sign_in(username, password):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response


def _enrol_with_password_session(client):
    """What a password-only session did on the old code: open setup, confirm a code from its key."""
    page = client.get(reverse("accounts:two_factor_setup"))
    key = client.session.get("two_factor_pending_key")
    if page.status_code != 200 or not key:
        return False
    client.post(reverse("accounts:two_factor_setup"), {"token": _code(key)})
    return (
        client.get(reverse("accounts:user_list")).status_code == 200
        or TOTPDevice.objects.filter(key=key, confirmed=True).exists()
    )


def test_an_administrator_cannot_create_a_lead_with_a_password_they_know(world, login):
    admin = login(world.lead)
    admin.post(
        reverse("accounts:user_create"),
        {
            "username": "newlead",
            "first_name": "Nell",
            "last_name": "Synthetic",
            "email": "newlead@example.invalid",
            "role": Role.LEAD,
            "is_active": "on",
            "password": KNOWN,
        },
    )
    created = User.objects.get(username="newlead")
    assert not created.check_password(KNOWN)
    assert not created.has_usable_password()
    client, response = _sign_in("newlead", KNOWN)
    assert "_auth_user_id" not in client.session
    assert not TOTPDevice.objects.filter(user=created).exists()


def test_an_administrator_cannot_set_another_users_password(world, login):
    login(world.sysadmin).post(
        reverse("accounts:user_edit", args=[world.practitioner.pk]),
        {
            "username": world.practitioner.username,
            "first_name": "Pat",
            "last_name": "Synthetic",
            "email": "",
            "role": Role.PRACTITIONER,
            "is_active": "on",
            "teams": [world.team_a.pk],
            "password": KNOWN,
        },
    )
    world.practitioner.refresh_from_db()
    assert not world.practitioner.check_password(KNOWN)


def test_takeover_through_a_two_factor_reset_fails(world, settings):
    """Clear the victim's authenticator, then sign in with a password the administrator knows."""
    settings.REQUIRE_2FA = True
    victim = world.practitioner  # the administrator knows (or set) "correct-horse-battery-9"
    TOTPDevice.objects.create(user=victim, name="Phone", confirmed=True)
    victim_client = Client()
    victim_client.force_login(victim)
    admin = verified_client(world.sysadmin)
    assert admin.get(reverse("accounts:user_list")).status_code == 200
    admin.post(reverse("accounts:user_reset_two_factor", args=[victim.pk]))
    # The old password no longer signs in, and no authenticator can be enrolled with it...
    attacker, _ = _sign_in(victim.username, "correct-horse-battery-9")
    assert not _enrol_with_password_session(attacker), "the administrator enrolled an authenticator as the victim"
    assert "_auth_user_id" not in attacker.session
    assert not TOTPDevice.objects.filter(user=victim).exists()
    # ...and the reset ended the victim's own sessions.
    assert "_auth_user_id" not in victim_client.session


def test_enrolment_with_a_password_alone_is_refused(world, settings):
    """An account with no authenticator cannot enrol one from a password-only session."""
    settings.REQUIRE_2FA = True
    user = world.practitioner
    client, response = _sign_in(user.username, "correct-horse-battery-9")
    assert response.status_code == 302
    assert not _enrol_with_password_session(client), "a password alone enrolled an authenticator"
    assert "two_factor_pending_key" not in client.session  # no key was even shown
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Anything else sends them to the page that says to use their link, which enrols nothing.
    sent = client.get(reverse("accounts:home"))
    assert sent["Location"].startswith(reverse("accounts:two_factor_missing"))
    missing = client.get(sent["Location"])
    assert "link" in missing.content.decode()
    assert "<svg" not in missing.content.decode()
