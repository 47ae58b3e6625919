"""Writes for users and teams (each audited)."""

from django.db import transaction

from . import audit
from .models import TeamMembership


@transaction.atomic
def user_save(*, form, actor):
    """Save a user from a validated UserForm, with memberships, password and audit entry."""
    creating = form.instance.pk is None
    user = form.save(commit=False)
    if form.cleaned_data.get("password"):
        user.set_password(form.cleaned_data["password"])
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
        fields=[f for f in fields if f != "password"] + (["password"] if "password" in fields else []),
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


@transaction.atomic
def two_factor_reset(*, user, actor):
    """Remove a user's authenticator so they enrol again at next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=user, fields=["two_factor_device"])
