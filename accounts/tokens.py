"""One-time, time-limited account links, on Django's password-reset token machinery.

A link lets its user set their own password and (unless they keep a working authenticator)
enrol a new one; no administrator ever chooses or sees a password. The token is an HMAC of
the account's state: the password hash, the last sign-in, the active flag and the
authenticators (their ids and whether confirmed). Using the link sets the password and signs
in, so it works once; a newer reset or a sign-in also ends it, and it does not work while the
account is deactivated. Each purpose has its own salt, so an invitation token is not a
password-reset token, and its own lifetime.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import models
from django.utils.http import base36_to_int


class Purpose(models.TextChoices):
    INVITE = "invite", "Set up your account"
    PASSWORD = "password", "Choose a new password"
    TWO_FACTOR = "two-factor", "Set up your account again"


def lifetime_hours(purpose):
    return settings.ACCOUNT_INVITE_HOURS if purpose == Purpose.INVITE else settings.ACCOUNT_RESET_HOURS


class AccountLinkTokenGenerator(PasswordResetTokenGenerator):
    def __init__(self, purpose):
        super().__init__()
        self.purpose = Purpose(purpose)
        self.key_salt = f"accounts.tokens.AccountLinkTokenGenerator.{self.purpose.value}"

    def _make_hash_value(self, user, timestamp):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        devices = ",".join(
            f"{pk}:{int(confirmed)}"
            for pk, confirmed in TOTPDevice.objects.filter(user=user).order_by("pk").values_list("pk", "confirmed")
        )
        return f"{self.purpose.value}|{user.pk}|{user.password}|{login}|{int(user.is_active)}|{devices}|{timestamp}"

    def check_token(self, user, token):
        if not super().check_token(user, token):  # signature, and Django's overall ceiling
            return False
        age = self._num_seconds(self._now()) - base36_to_int(token.split("-")[0])
        return age <= lifetime_hours(self.purpose) * 3600


def generator(purpose):
    return AccountLinkTokenGenerator(purpose)
