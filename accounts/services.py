"""Writes for users and teams (each audited)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import access, audit, tokens
from .models import CASE_DATA_ROLES, AccessGrantRequest, GrantOutcome, Role, Team, TeamMembership, User
from .tokens import Purpose

logger = logging.getLogger(__name__)


@transaction.atomic
def user_save(*, form, actor):
    """Save a user from a validated UserForm, with memberships and audit entry.

    A new account has no usable password: the view then sends its user the invitation.

    Separation of duties: nobody changes their own role, teams or active status. A grant that
    opens case data (a case role, a team, reactivating a case worker) takes effect at once only
    when a safeguarding lead gives it; from anyone else it becomes a pending
    `AccessGrantRequest` that another lead approves. Everything else applies at once.
    """
    creating = form.instance.pk is None
    old = _account_facts(form.instance.pk)  # from the database: the form has changed the instance
    data = form.cleaned_data
    wanted = {
        "role": data.get("role", old["role"]),
        "is_active": data.get("is_active", old["is_active"]),
        "teams": set(data["teams"]) if "teams" in data else set(old["teams"]),
    }
    if not creating and form.instance.pk == actor.pk and _access_changes(old, wanted):
        raise PermissionDenied("Nobody changes their own role, teams or active status.")
    direct = access.is_lead(actor)
    ask = {}

    user = form.save(commit=False)
    if creating:
        # Nobody knows a new account's password: its user chooses one through the invitation.
        user.set_unusable_password()
    if wanted["role"] != old["role"] and wanted["role"] in CASE_DATA_ROLES and not direct:
        ask["role"] = wanted["role"]
        user.role = Role.NONE if creating else old["role"]
    reactivating = not creating and wanted["is_active"] and not old["is_active"]
    if reactivating and user.role in CASE_DATA_ROLES and not direct:
        ask["reactivate"] = True
        user.is_active = False
    user.save()

    added = wanted["teams"] - set(old["teams"])
    removed = set(old["teams"]) - wanted["teams"]
    TeamMembership.objects.filter(user=user, team__in=removed).delete()
    if added and not direct:
        ask["teams"] = added
        added = set()
    for team in added:
        TeamMembership.objects.get_or_create(user=user, team=team)

    if not creating and old["is_active"] and not user.is_active:
        end_sessions(user=user)
    new = _account_facts(user.pk)
    changes = _access_changes(old, new)
    profile = [f for f in form.changed_data if f not in ACCESS_FIELDS and f != "password"]
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE if creating else audit.AuditAction.UPDATE,
        obj=user,
        fields=profile + list(changes),
        detail=describe_changes(changes),
        changes=changes,
    )
    if ask:
        grant_request_create(user=user, requested_by=actor, **ask)
    return user


ACCESS_FIELDS = ("role", "teams", "is_active")
_NO_FACTS = {"role": None, "is_active": None, "teams": []}  # before an account exists


def _account_facts(pk):
    """Role, active status and teams of a stored user (empty for a new one)."""
    if pk is None:
        return dict(_NO_FACTS)
    user = User.objects.get(pk=pk)
    return {
        "role": user.role,
        "is_active": user.is_active,
        "teams": list(Team.objects.filter(memberships__user_id=pk).order_by("name")),
    }


def _access_changes(old, new):
    """{field: [old, new]} for the access facts that differ (teams as sorted name lists)."""
    changes = {}
    for field in ACCESS_FIELDS:
        before, after = old[field], new[field]
        if field == "teams":
            before = sorted(getattr(t, "name", t) for t in before)
            after = sorted(getattr(t, "name", t) for t in after)
        if before != after:
            changes[field] = [before, after]
    return changes


def describe_changes(changes):
    """The old and new values in words for the audit detail (200 characters at most).

    Team changes are summarised as +added/-removed. These are facts about staff accounts,
    never about adults.
    """
    parts = []
    for field, (before, after) in changes.items():
        if field == "teams":
            plus = [f"+{name}" for name in after if name not in before]
            minus = [f"-{name}" for name in before if name not in after]
            parts.append("teams " + " ".join(plus + minus))
        elif field == "is_active":
            parts.append(f"active {'yes' if before else 'no'}->{'yes' if after else 'no'}")
        else:
            parts.append(f"{field} {before or '-'}->{after or '-'}")
    text = "; ".join(parts)
    return text if len(text) <= 200 else text[:199] + "…"


@transaction.atomic
def grant_request_create(*, user, requested_by, role="", teams=(), reactivate=False, case=None, reason=""):
    """Store a grant that opens case data until a safeguarding lead decides on it."""
    grant = AccessGrantRequest.objects.create(
        user=user, role=role, reactivate=reactivate, case=case, reason=reason, requested_by=requested_by
    )
    grant.teams.set(teams)
    audit.record(
        actor=requested_by,
        action=audit.AuditAction.CREATE,
        obj=grant,
        case_id=case.pk if case else None,
        fields=[f for f, v in (("role", role), ("teams", teams), ("reactivate", reactivate), ("case", case)) if v],
        detail=f"user {user.pk}: {grant.describe()}"[:200],
        changes={"outcome": [None, GrantOutcome.PENDING.value]},
    )
    return grant


def check_may_grant(*, actor, user):
    """A safeguarding lead may give case access, never to themselves."""
    if not access.is_lead(actor):
        raise PermissionDenied("Only a safeguarding lead gives access to case data.")
    if actor.pk == user.pk:
        raise PermissionDenied("Nobody gives themselves access to case data.")


@transaction.atomic
def grant_decide(*, grant, actor, approve):
    """A lead other than the requester and the subject approves or declines a pending grant."""
    grant = AccessGrantRequest.objects.select_for_update().get(pk=grant.pk)
    check_may_grant(actor=actor, user=grant.user)
    if actor.pk == grant.requested_by_id:
        raise PermissionDenied("A grant is approved by a safeguarding lead other than the one who asked.")
    if grant.outcome != GrantOutcome.PENDING:
        raise ValidationError("This request has already been decided.")
    if approve:
        _apply_grant(grant, actor)
    grant.outcome = GrantOutcome.APPROVED if approve else GrantOutcome.DECLINED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["outcome", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.STATE,
        obj=grant,
        case_id=grant.case_id,
        fields=["outcome"],
        detail=f"{grant.outcome}: user {grant.user_id}: {grant.describe()}"[:200],
        changes={"outcome": [GrantOutcome.PENDING.value, str(grant.outcome)]},
    )
    return grant


def _apply_grant(grant, actor):
    user = User.objects.select_for_update().get(pk=grant.user_id)
    old = _account_facts(user.pk)
    if grant.role:
        user.role = grant.role
    if grant.reactivate:
        user.is_active = True
    user.save(update_fields=["role", "is_active"])
    for team in grant.teams.all():
        TeamMembership.objects.get_or_create(user=user, team=team)
    changes = _access_changes(old, _account_facts(user.pk))
    if changes:
        audit.record(
            actor=actor, action=audit.AuditAction.UPDATE, obj=user, fields=list(changes),
            detail=describe_changes(changes), changes=changes,
        )  # fmt: skip
    if grant.case_id:
        case_grant_add(case=grant.case, user=user, granted_by=actor)


def case_grant_add(*, case, user, granted_by):
    """Name `user` on a restricted case (the caller has checked who may give it)."""
    named, created = case.access_grants.get_or_create(user=user, defaults={"granted_by": granted_by})
    if created:
        audit.record(
            actor=granted_by, action=audit.AuditAction.CREATE, obj=named, case_id=case.pk, fields=["user"],
            detail=f"user {user.pk} named on the restricted case", changes={"named_on_case": [False, True]},
        )  # fmt: skip
    return named


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
        had = two_factor_enrolled(user)
        TOTPDevice.objects.filter(user=user).delete()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        end_sessions(user=user)
        audit.record(
            actor=actor, action=audit.AuditAction.UPDATE, obj=user, fields=["password", "two_factor_device"],
            changes={"two_factor_enrolled": [had, False], "password_usable": [True, False]},
        )  # fmt: skip
    return send_account_link(user=user, purpose=Purpose.TWO_FACTOR, actor=actor, base_url=base_url)


def two_factor_enrolled(user):
    """Whether `user` has a confirmed authenticator (the 2FA state the audit records)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def send_password_link(*, user, actor, base_url):
    """Email a password-reset link (an invitation again if the account was never used)."""
    purpose = Purpose.INVITE if user.last_login is None else Purpose.PASSWORD
    return send_account_link(user=user, purpose=purpose, actor=actor, base_url=base_url)


def account_link_url(*, user, purpose, base_url):
    """The one-time link for `user` and `purpose` (token in the query string, see docs/security.md "The links")."""
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
        changes = {}
        if new_key is not None:
            changes["two_factor_enrolled"] = [two_factor_enrolled(locked), True]
            TOTPDevice.objects.filter(user=locked).delete()
            device.user = locked
            device.save()
            fields.append("two_factor_device")
        audit.record(
            actor=locked, action=audit.AuditAction.UPDATE, obj=locked, fields=fields, detail=f"{purpose} link used",
            changes=changes,
        )  # fmt: skip
    return locked, device


LINK_INVALID = "This link has expired or has already been used. Ask an administrator to send you a new one."


def deactivate_dormant_accounts(*, days=None, now=None):
    """Deactivate every active account unused for `days` (DORMANT_ACCOUNT_DAYS by default).

    Unused means no sign-in since the cut-off, or never signed in and created before it.
    Each deactivation ends the account's sessions and is audited (actor: the system).
    Returns the deactivated users.
    """
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Q

    days = settings.DORMANT_ACCOUNT_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    dormant = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    done = []
    for user in dormant.order_by("pk"):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            if not user.is_active:
                continue
            user.is_active = False
            user.save(update_fields=["is_active"])
            end_sessions(user=user)
            audit.record(
                actor=None, action=audit.AuditAction.UPDATE, obj=user, fields=["is_active"],
                detail=f"dormant: not used for {days} days; active yes->no", changes={"is_active": [True, False]},
            )  # fmt: skip
        done.append(user)
    return done


def locked_out(*, user):
    """Whether django-axes is refusing this username's sign-ins from some address."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


@transaction.atomic
def unlock_sign_in(*, user, actor):
    """An administrator lifts a django-axes lockout on someone else's account (audited)."""
    from axes.utils import reset

    if actor.pk == user.pk:
        raise PermissionDenied("Another administrator unlocks your account.")
    was_locked = locked_out(user=user)
    reset(username=user.username)
    audit.record(
        actor=actor, action=audit.AuditAction.UPDATE, obj=user, fields=["sign_in_lockout"],
        detail="sign-in lockout lifted", changes={"locked_out": [was_locked, False]},
    )  # fmt: skip
