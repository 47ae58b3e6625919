"""Writes for users and teams (each audited)."""

import logging

from django.db import transaction

from . import audit, tokens
from .models import TeamMembership
from .tokens import Purpose

logger = logging.getLogger(__name__)


@transaction.atomic
def user_save(*, form, actor):
    """Save a user from a validated UserForm, with memberships and audit entry.

    A new account has no usable password: the view then sends its user the invitation.
    """
    creating = form.instance.pk is None
    user = form.save(commit=False)
    if creating:
        # Nobody knows a new account's password: its user chooses one through the invitation.
        user.set_unusable_password()
    user.save()
    teams = set(form.cleaned_data.get("teams") or [])
    TeamMembership.objects.filter(user=user).exclude(team__in=teams).delete()
    for team in teams:
        TeamMembership.objects.get_or_create(user=user, team=team)
    fields = form.changed_data
    if not creating and not user.is_active and "is_active" in fields:
        end_sessions(user=user)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE if creating else audit.AuditAction.UPDATE,
        obj=user,
        fields=fields,
    )
    return user


def end_sessions(*, user):
    """Delete every stored session of `user`, so reactivating the account cannot revive one."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    user_id = str(user.pk)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def team_save(*, form, actor):
    """Save a team from a validated TeamForm, with an audit entry."""
    creating = form.instance.pk is None
    team = form.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE if creating else audit.AuditAction.UPDATE,
        obj=team,
        fields=form.changed_data,
    )
    return team


def two_factor_reset(*, user, actor, base_url):
    """Start a 2FA reset: authenticator removed, password unusable, sessions ended, link sent.

    Until the user opens the link, nothing signs in as them: not the old password (which an
    administrator might know) and not a password-only session enrolling a new authenticator.
    Returns whether the link was sent.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        end_sessions(user=user)
        audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=user, fields=["password", "two_factor_device"])
    return send_account_link(user=user, purpose=Purpose.TWO_FACTOR, actor=actor, base_url=base_url)


def send_password_link(*, user, actor, base_url):
    """Email a password-reset link (an invitation again if the account was never used)."""
    purpose = Purpose.INVITE if user.last_login is None else Purpose.PASSWORD
    return send_account_link(user=user, purpose=purpose, actor=actor, base_url=base_url)


def account_link_url(*, user, purpose, base_url):
    """The one-time link for `user` and `purpose` (token in the query string, see README)."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    token = tokens.generator(purpose).make_token(user)
    query = urlencode({"p": purpose, "u": urlsafe_base64_encode(force_bytes(user.pk)), "t": token})
    return f"{base_url.rstrip('/')}{reverse('accounts:account_link')}?{query}"


def send_account_link(*, user, purpose, actor, base_url):
    """Email `user` a one-time link for `purpose`, audited. Returns whether the mail went out.

    The mail holds the link and nothing about any case. A refused or unreachable mail server
    is logged (exception type only) and reported to the caller; nothing is rolled back.
    """
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    if not (user.email and user.is_active):
        return False
    url = account_link_url(user=user, purpose=purpose, base_url=base_url)
    context = {"url": url, "purpose": Purpose(purpose), "hours": tokens.lifetime_hours(purpose), "user": user}
    subject = f"MSP Safeguarding: {Purpose(purpose).label.lower()}"
    try:
        send_mail(subject, render_to_string("accounts/email/account_link.txt", context), None, [user.email])
    except Exception as exc:  # smtplib, socket and TLS errors alike: the caller says "not sent"
        logger.warning("Account link mail not sent: %s", type(exc).__name__)
        return False
    audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=user, fields=["account_link"], detail=purpose)
    return True


def complete_account_link(*, user, purpose, token, password, code, new_key):
    """Set the password chosen through a link and confirm the authenticator, or refuse.

    `new_key` is the authenticator key shown on the page (enrolment); with None, `code` must
    come from the user's existing authenticator (a password reset keeps it). Returns the
    device to mark the session verified with. Raises ValidationError, changing nothing, when
    the link is no longer valid or the code does not match.
    """
    from django.core.exceptions import ValidationError
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    if new_key is None:
        # Outside the transaction, so a wrong code still counts towards the device's throttle.
        device = next(
            (d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if d.verify_token(code)),
            None,
        )
        if device is None:
            raise ValidationError("That code did not match. Try the newest code from your authenticator app.")
    else:
        device = TOTPDevice(user=user, key=new_key, name="Authenticator", confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
        if not totp.verify(int(code), device.tolerance):
            raise ValidationError("That code did not match. Check the time on your device and try the newest code.")
        device.last_t = totp.t()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not tokens.generator(purpose).check_token(locked, token):  # used meanwhile, or expired
            raise ValidationError(LINK_INVALID, code="link_invalid")
        locked.set_password(password)
        locked.save(update_fields=["password"])
        fields = ["password"]
        if new_key is not None:
            TOTPDevice.objects.filter(user=locked).delete()
            device.user = locked
            device.save()
            fields.append("two_factor_device")
        audit.record(
            actor=locked, action=audit.AuditAction.UPDATE, obj=locked, fields=fields, detail=f"{purpose} link used"
        )
    return locked, device


LINK_INVALID = "This link has expired or has already been used. Ask an administrator to send you a new one."
