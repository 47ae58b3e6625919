"""Every change of role, teams, active status and grants is audited with old and new values."""

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
    assert "South Team" in event.detail


def test_a_role_change_records_old_and_new_role(world, login):
    target = world.practitioner
    login(world.lead).post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, role=Role.MANAGER))
    event = _last_user_event(target)
    assert event.fields == ["role"]
    assert "practitioner" in event.detail and "manager" in event.detail
