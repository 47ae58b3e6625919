"""One-time account links: invitation, password reset and 2FA reset, from the email to signed in."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Granite-Otter-Fresh-42"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_2FA = True
    settings.SITE_URL = "https://safeguarding.example.org"


def _code(key, offset=0):
    device = TOTPDevice(key=key)
    return f"{(totp(device.bin_key, device.step, device.t0, device.digits) + offset) % 1_000_000:06d}"


def verified_client(user):
    """A session of `user` that has passed two-factor (as after a correct code)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _link_in(message):
    urls = re.findall(r"https://safeguarding\.example\.org/\S+", message.body)
    assert len(urls) == 1, message.body
    return urls[0]


def _local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _create_user(admin, **overrides):
    data = {
        "username": "newstarter",
        "first_name": "Nova",
        "last_name": "Synthetic",
        "email": "nova@example.invalid",
        "job_title": "Social worker",
        "role": Role.SAB_MEMBER,
        "is_active": "on",
    }
    data.update(overrides)
    return admin.post(reverse("accounts:user_create"), data, follow=True)


def _complete(client, link, password=NEW_PASSWORD, code=None):
    """Open `link`, then post the set-up form with a code from the key shown (or `code`)."""
    opened = client.get(_local(link))
    if opened.status_code != 302:
        return opened
    assert client.get(opened["Location"]).status_code == 200
    key = client.session.get("account_link_totp_key")
    return client.post(
        reverse("accounts:account_setup"),
        {"new_password1": password, "new_password2": password, "token": code or _code(key)},
    )


def test_a_new_account_gets_an_invitation_and_sets_up_password_and_authenticator(world):
    admin = verified_client(world.sysadmin)
    response = _create_user(admin)
    assert "A one-time link has been emailed to newstarter." in response.content.decode()
    user = User.objects.get(username="newstarter")
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["nova@example.invalid"]
    assert "72 hours" in message.body
    assert str(world.case) not in message.body and "Nova" not in message.body

    client = Client()
    done = _complete(client, _link_in(message))
    assert done.status_code == 302 and done["Location"] == reverse("accounts:home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.get(user=user).confirmed
    # Signed in and verified: a page behind 2FA opens (SAB members land on the reports).
    assert client.get(reverse("reporting:index")).status_code == 200
    used = AuditEvent.objects.filter(object_id=str(user.pk), detail="invite link used").get()
    assert used.actor == user and used.fields == ["password", "two_factor_device"]
    sent = AuditEvent.objects.filter(object_id=str(user.pk), detail="invite").get()
    assert sent.actor == world.sysadmin and sent.fields == ["account_link"]


def test_the_link_works_once(world):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    link = _link_in(mail.outbox[0])
    assert _complete(Client(), link).status_code == 302
    user = User.objects.get(username="newstarter")
    password_hash = user.password
    again = _complete(Client(), link, password="Another-Choice-Of-Words-8")
    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()
    user.refresh_from_db()
    assert user.password == password_hash
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_an_expired_link_changes_nothing(world, settings):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    link = _link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(hours=settings.ACCOUNT_INVITE_HOURS, minutes=1)):
        response = _complete(Client(), link)
    assert "This link does not work" in response.content.decode()
    user = User.objects.get(username="newstarter")
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()


FORGED = [
    ("t", "c0ffee-0123456789abcdef0123456789abcdef"),
    ("t", ""),
    ("p", "password"),  # an invitation's token is not a password-reset token
    ("p", "unknown"),
    ("u", "MQ"),  # another account's id
    ("u", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"),  # beyond any id
    ("u", "!!"),
]


@pytest.mark.parametrize("part, value", FORGED)
def test_a_forged_or_altered_link_changes_nothing(world, part, value):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    parts = urlsplit(_link_in(mail.outbox[0]))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query[part] = value
    client = Client()
    response = client.get(parts.path, query)
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()
    assert "account_link" not in client.session
    assert "This link does not work" in client.get(reverse("accounts:account_setup")).content.decode()
    assert not User.objects.get(username="newstarter").has_usable_password()


def test_the_token_leaves_the_address_bar_and_never_reaches_the_logs(world, caplog):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    link = _link_in(mail.outbox[0])
    token = parse_qs(urlsplit(link).query)["t"][0]
    client = Client()
    with caplog.at_level("DEBUG"):
        opened = client.get(_local(link))
        assert opened["Location"] == reverse("accounts:account_setup")  # no token in the next URL
        page = client.get(opened["Location"])
        assert token not in page.content.decode()
        _complete(client, link)
    assert token not in caplog.text
    assert token not in " ".join(str(e.detail) + str(e.fields) for e in AuditEvent.objects.all())


def test_a_weak_password_is_refused_and_the_link_still_works(world):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    link = _link_in(mail.outbox[0])
    client = Client()
    response = _complete(client, link, password="password1234")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.get(username="newstarter").has_usable_password()
    key = client.session["account_link_totp_key"]
    wrong = client.post(
        reverse("accounts:account_setup"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "token": _code(key, 500_000)},
    )
    assert "That code did not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user__username="newstarter").exists()
    assert _complete(client, link).status_code == 302


def test_a_password_reset_keeps_the_authenticator_and_asks_for_its_code(world):
    victim = world.practitioner
    victim.email = "pat@example.invalid"
    victim.save()
    victim.last_login = timezone.now()
    victim.save()
    device = TOTPDevice.objects.create(user=victim, name="Phone", confirmed=True)
    admin = verified_client(world.sysadmin)
    response = admin.post(reverse("accounts:user_send_link", args=[victim.pk]), follow=True)
    assert "A one-time link has been emailed to pat." in response.content.decode()
    link = _link_in(mail.outbox[0])
    client = Client()
    page = client.get(client.get(_local(link))["Location"])
    assert "the authenticator app you already use" in page.content.decode()
    assert "<svg" not in page.content.decode()  # the mailbox alone cannot enrol a new authenticator
    form = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    wrong = client.post(reverse("accounts:account_setup"), {**form, "token": _code(device.key, 500_000)})
    assert "That code did not match" in wrong.content.decode()
    victim.refresh_from_db()
    assert victim.check_password("correct-horse-battery-9")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a wrong code counts, as at sign-in
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the 1 s throttle
        done = client.post(reverse("accounts:account_setup"), {**form, "token": _code(device.key)})
    assert done.status_code == 302
    victim.refresh_from_db()
    assert victim.check_password(NEW_PASSWORD)
    assert list(TOTPDevice.objects.filter(user=victim)) == [device]
    assert client.get(reverse("workspace:my_work")).status_code == 200


def test_a_two_factor_reset_ends_sessions_and_the_link_enrols_a_new_authenticator(world):
    victim = world.practitioner
    victim.email = "pat@example.invalid"
    victim.save()
    victim_client = verified_client(victim)
    old_device = TOTPDevice.objects.get(user=victim)
    admin = verified_client(world.sysadmin)
    response = admin.post(reverse("accounts:user_reset_two_factor", args=[victim.pk]), follow=True)
    html = response.content.decode()
    assert "signed out everywhere" in html and "A one-time link has been emailed to pat." in html
    assert victim_client.get(reverse("workspace:my_work")).status_code == 302  # signed out
    victim.refresh_from_db()
    assert not victim.has_usable_password()
    assert not TOTPDevice.objects.filter(user=victim).exists()
    event = AuditEvent.objects.filter(object_id=str(victim.pk), fields=["password", "two_factor_device"]).get()
    assert event.actor == world.sysadmin
    (message,) = mail.outbox
    assert "has been reset" in message.body
    client = Client()
    assert _complete(client, _link_in(message)).status_code == 302
    new_device = TOTPDevice.objects.get(user=victim)
    assert new_device.pk != old_device.pk and new_device.confirmed
    assert client.get(reverse("workspace:my_work")).status_code == 200


def test_a_reset_makes_older_links_useless(world):
    victim = world.practitioner
    victim.email = "pat@example.invalid"
    victim.save()
    admin = verified_client(world.sysadmin)
    admin.post(reverse("accounts:user_send_link", args=[victim.pk]))
    first = _link_in(mail.outbox[0])
    admin.post(reverse("accounts:user_reset_two_factor", args=[victim.pk]))
    assert "This link does not work" in Client().get(_local(first)).content.decode()


@pytest.mark.parametrize("name", ["accounts:user_send_link", "accounts:user_reset_two_factor"])
def test_an_administrator_cannot_send_themselves_a_link(world, name):
    admin = verified_client(world.sysadmin)
    world.sysadmin.email = "sid@example.invalid"
    world.sysadmin.save()
    assert admin.post(reverse(name, args=[world.sysadmin.pk])).status_code == 403
    assert mail.outbox == []
    assert TOTPDevice.objects.filter(user=world.sysadmin).exists()


def test_a_user_without_an_email_address_gets_no_link_and_the_administrator_is_told(world):
    admin = verified_client(world.lead)
    response = admin.post(reverse("accounts:user_send_link", args=[world.practitioner.pk]), follow=True)
    assert "has no email address" in response.content.decode()
    assert mail.outbox == []


def test_a_new_account_needs_an_email_address(world):
    admin = verified_client(world.sysadmin)
    response = _create_user(admin, email="")
    assert "This field is required" in response.content.decode()
    assert 'value="Nova"' in response.content.decode()
    assert not User.objects.filter(username="newstarter").exists()


def test_a_mail_server_that_refuses_leaves_the_account_and_says_so(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    admin = verified_client(world.sysadmin)
    response = _create_user(admin)
    assert "could not be sent" in response.content.decode()
    assert User.objects.filter(username="newstarter").exists()


def test_with_two_factor_off_the_demo_still_signs_in_with_a_password(world, settings):
    settings.REQUIRE_2FA = False
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": world.practitioner.username, "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302
    assert client.get(reverse("workspace:my_work")).status_code == 200


def test_two_browsers_with_the_same_link_set_up_the_account_once(world):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    link = _link_in(mail.outbox[0])
    first, second = Client(), Client()
    for client in (first, second):
        assert client.get(client.get(_local(link))["Location"]).status_code == 200
    form = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    key = first.session["account_link_totp_key"]
    assert first.post(reverse("accounts:account_setup"), {**form, "token": _code(key)}).status_code == 302
    other_key = second.session["account_link_totp_key"]
    late = second.post(
        reverse("accounts:account_setup"),
        {
            "new_password1": "Second-Browser-Words-77",
            "new_password2": "Second-Browser-Words-77",
            "token": _code(other_key),
        },
    )
    assert "This link does not work" in late.content.decode()
    user = User.objects.get(username="newstarter")
    assert user.check_password(NEW_PASSWORD)
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [key]


def test_deactivating_an_account_ends_its_link(world):
    admin = verified_client(world.sysadmin)
    _create_user(admin)
    link = _link_in(mail.outbox[0])
    user = User.objects.get(username="newstarter")
    user.is_active = False
    user.save()
    assert "This link does not work" in Client().get(_local(link)).content.decode()


def test_the_service_rechecks_the_link_under_a_lock_so_a_late_request_changes_nothing(world):
    """Two requests that both passed the view's check: the second, inside the lock, is refused."""
    from django.core.exceptions import ValidationError
    from django_otp.util import random_hex

    from accounts import services
    from accounts.tokens import Purpose, generator

    user = world.practitioner
    token = generator(Purpose.TWO_FACTOR).make_token(user)
    first_key, second_key = random_hex(20), random_hex(20)
    services.complete_account_link(
        user=user,
        purpose=Purpose.TWO_FACTOR,
        token=token,
        password=NEW_PASSWORD,
        code=_code(first_key),
        new_key=first_key,
    )
    with pytest.raises(ValidationError) as refused:
        services.complete_account_link(
            user=user,
            purpose=Purpose.TWO_FACTOR,
            token=token,
            password="Second-Request-Words-77",
            code=_code(second_key),
            new_key=second_key,
        )
    assert refused.value.code == "link_invalid"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [first_key]
