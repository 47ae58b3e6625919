"""Every change of role, teams, active status, grants and 2FA state is audited with old and new values."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def _edit_data(user, **overrides):
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "role": user.role, "is_active": "on", "teams": [t.pk for t in user.teams.all()]}  # fmt: skip
    data.update(overrides)
    return data


def _last_user_event(user):
    return AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("-id").first()


def test_a_change_of_teams_alone_is_audited_as_teams(world, login):
    target = world.practitioner
    login(world.lead).post(reverse("accounts:user_edit", args=[target.pk]),
                           _edit_data(target, teams=[world.team_a.pk, world.team_b.pk]))  # fmt: skip
    event = _last_user_event(target)
    assert event.fields == ["teams"]
    assert event.changes == {"teams": [["North Team"], ["North Team", "South Team"]]}
    assert "+South Team" in event.detail


def test_a_role_change_records_old_and_new_role(world, login):
    target = world.practitioner
    login(world.lead).post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, role=Role.MANAGER))
    event = _last_user_event(target)
    assert event.fields == ["role"]
    assert event.changes == {"role": ["practitioner", "manager"]}


def test_deactivation_records_old_and_new_active_status(world, login):
    target = world.practitioner
    data = _edit_data(target)
    del data["is_active"]
    login(world.sysadmin).post(reverse("accounts:user_edit", args=[target.pk]), data)
    assert _last_user_event(target).changes == {"is_active": [True, False]}


def test_a_pending_grant_changes_nothing_until_approved_and_the_approval_is_recorded(world, login):
    from accounts.models import AccessGrantRequest

    target = world.sab_member
    client = login(world.sysadmin)
    client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, role=Role.LEAD))
    assert _last_user_event(target).changes == {}  # the sysadmin's save changed no access fact
    grant = AccessGrantRequest.objects.get(user=target)
    created = AuditEvent.objects.get(object_type="accounts.accessgrantrequest", action="create")
    assert created.actor == world.sysadmin and created.changes == {"outcome": [None, "pending"]}

    client.force_login(world.lead)
    client.post(reverse("accounts:grant_decide", args=[grant.pk]), {"decision": "approve"})
    event = _last_user_event(target)
    assert event.actor == world.lead and event.changes == {"role": ["sab_member", "lead"]}
    decided = AuditEvent.objects.get(object_type="accounts.accessgrantrequest", action="state")
    assert decided.changes == {"outcome": ["pending", "approved"]}


def test_a_new_account_records_its_starting_facts(world, login):
    login(world.lead).post(reverse("accounts:user_create"), {"username": "newbie", "first_name": "N", "last_name": "S",
        "role": Role.PRACTITIONER, "is_active": "on", "teams": [world.team_a.pk],
        "email": "newbie@example.org"})  # fmt: skip
    event = AuditEvent.objects.get(object_type="accounts.user", action="create")
    assert event.changes == {"role": [None, "practitioner"], "is_active": [None, True], "teams": [[], ["North Team"]]}


def test_the_audit_chain_still_verifies_with_changes(world, login):
    from django.core.management import call_command

    target = world.practitioner
    login(world.lead).post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, teams=[world.team_b.pk]))
    call_command("verify_audit_log")


def test_a_two_factor_reset_records_the_old_and_new_two_factor_state(world, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    target = world.practitioner
    TOTPDevice.objects.create(user=target, name="Authenticator", confirmed=True)
    target.email = "pat@example.org"
    target.save(update_fields=["email"])
    login(world.sysadmin).post(reverse("accounts:user_reset_two_factor", args=[target.pk]))
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(target.pk))
    [event] = [e for e in events if "two_factor_device" in e.fields]
    assert event.changes == {"two_factor_enrolled": [True, False], "password_usable": [True, False]}
