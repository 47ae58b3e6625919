"""With REQUIRE_2FA on, nobody reaches a page until they have verified a TOTP code."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_on(settings):
    settings.REQUIRE_2FA = True


def _code(device, offset=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits) + offset:06d}"[-6:]


def _confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def test_user_without_a_device_is_told_to_use_their_link(two_factor_on, client):
    # Enrolment happens only through a one-time link (test_account_links, test_credential_attacks).
    user = UserFactory(role=Role.SYSADMIN)
    client.force_login(user)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_missing")
    assert client.get(reverse("accounts:two_factor_setup"))["Location"] == reverse("accounts:two_factor_missing")


def test_user_with_a_device_is_sent_to_verify_and_pages_stay_closed(two_factor_on, client):
    user = UserFactory(role=Role.SYSADMIN)
    _confirmed_device(user)
    client.force_login(user)
    for name in ("accounts:user_list", "accounts:home", "accounts:password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_correct_code_opens_the_pages_and_returns_to_the_page_asked_for(two_factor_on, client):
    user = UserFactory(role=Role.SYSADMIN)
    device = _confirmed_device(user)
    client.force_login(user)
    sent = client.get(reverse("accounts:user_list"))
    response = client.post(sent["Location"], {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_list")
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_wrong_code_is_refused(two_factor_on, client):
    user = UserFactory(role=Role.SYSADMIN)
    device = _confirmed_device(user)
    client.force_login(user)
    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(reverse("accounts:two_factor_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert client.get(reverse("accounts:user_list")).status_code == 302


def test_verify_does_not_redirect_off_site(two_factor_on, client):
    user = UserFactory(role=Role.SYSADMIN)
    device = _confirmed_device(user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=https://evil.example/", {"token": _code(device)}
    )
    assert response["Location"] == reverse("accounts:home")


def test_with_two_factor_optional_setup_confirms_a_device_with_a_code_from_it(client):
    # The demo (REQUIRE_2FA off): a signed-in user may add an authenticator of their own accord.
    user = UserFactory(role=Role.SYSADMIN)
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()  # showing the key stores nothing
    pending_key = client.session["two_factor_pending_key"]
    device = TOTPDevice(key=pending_key)
    bad = client.post(reverse("accounts:two_factor_setup"), {"token": "12345x"})
    assert "Enter the six digits" in bad.content.decode()
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == pending_key
    assert "two_factor_pending_key" not in client.session
    assert client.get(reverse("accounts:user_list")).status_code == 200
