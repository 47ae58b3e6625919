"""Reads and writes leave audit rows with field names, never values."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Role, User

pytestmark = pytest.mark.django_db


def _row_text(event):
    return " ".join(
        str(v) for v in (event.object_type, event.object_id, event.fields, event.detail, event.hash, event.prev_hash)
    )


def test_viewing_a_case_writes_a_view_row_with_the_case(world, login):
    client = login(world.practitioner)
    client.get(reverse("cases:detail", args=[world.case.pk]))
    event = AuditEvent.objects.filter(action=AuditAction.VIEW).latest("id")
    assert event.case_id == world.case.pk
    assert event.actor == world.practitioner


def test_creating_a_user_records_field_names_but_not_values(world, login):
    client = login(world.sysadmin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newstarter",
            "first_name": "Quillon",
            "last_name": "Brightwater",
            "email": "q.b@example.invalid",
            "role": Role.LEAD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newstarter")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk))
    assert {"username", "first_name", "last_name", "email"} <= set(event.fields)
    text = _row_text(event)
    for value in ("Quillon", "Brightwater", "q.b@example.invalid", "newstarter"):
        assert value not in text


def test_changing_a_user_records_an_update_with_the_changed_fields(world, login):
    client = login(world.sysadmin)
    target = world.lead
    response = client.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {
            "username": target.username,
            "first_name": "Renamed",
            "last_name": target.last_name,
            "role": Role.LEAD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(target.pk)).latest("id")
    assert event.fields == ["first_name"]
    assert "Renamed" not in _row_text(event)


def test_access_log_lists_who_read_the_case(world, login):
    login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk]))
    login(world.colleague).get(reverse("cases:detail", args=[world.case.pk]))
    page = login(world.manager).get(reverse("cases:access_log", args=[world.case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.practitioner.display_name in html
    assert world.colleague.display_name in html
