"""Leads review every account's access; dormant accounts are deactivated on a schedule."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessGrantRequest, AuditAction, AuditEvent, Role
from accounts.tests.factories import UserFactory
from cases.models import CaseAccessGrant

pytestmark = pytest.mark.django_db


def _review_rows(client):
    response = client.get(reverse("accounts:access_review_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    return {row["Username"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def test_the_review_lists_every_account_with_its_access(world, login):
    TOTPDevice.objects.create(user=world.practitioner, name="Phone", confirmed=True)
    TOTPDevice.objects.create(user=world.colleague, name="Phone", confirmed=False)
    world.case.restricted = True
    world.case.save(update_fields=["restricted"])
    CaseAccessGrant.objects.create(case=world.case, user=world.manager, granted_by=world.lead)
    AccessGrantRequest.objects.create(user=world.sab_member, role=Role.LEAD, requested_by=world.sysadmin)
    world.practitioner.last_login = timezone.now()
    world.practitioner.save(update_fields=["last_login"])

    client = login(world.lead)
    page = client.get(reverse("accounts:access_review")).content.decode()
    assert "1 grant waiting for approval" in page
    rows = _review_rows(client)
    assert set(rows) == {"pat", "cole", "otto", "mona", "mabel", "lee", "sabrina", "sid"}
    assert rows["pat"]["Teams"] == "North Team" and rows["pat"]["Two-factor enrolled"] == "yes"
    assert rows["pat"]["Last sign-in"] != "never"
    assert rows["cole"]["Two-factor enrolled"] == "no"  # an unconfirmed device is not enrolment
    assert rows["cole"]["Last sign-in"] == "never"
    assert rows["mona"]["Named on restricted cases"] == world.case.ref
    assert rows["sabrina"]["Pending grants"] == "role Safeguarding lead (asked by sid)"
    assert rows["sid"]["Role"] == "System administrator"


def test_the_csv_export_is_audited_as_an_export(world, login):
    _review_rows(login(world.lead))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world.lead and event.object_type == "accounts.user"


def test_a_cell_that_looks_like_a_formula_is_defused(world, login):
    UserFactory(username="=HYPERLINK(1)", role=Role.SAB_MEMBER)
    rows = _review_rows(login(world.lead))
    assert "'=HYPERLINK(1)" in rows


def test_dormant_accounts_are_deactivated_audited_and_signed_out(world, client, settings):
    settings.DORMANT_ACCOUNT_DAYS = 90
    now = timezone.now()
    old = UserFactory(username="oldtimer", role=Role.PRACTITIONER, teams=[world.team_a])
    client.force_login(old)  # a live session, which must end
    type(old).objects.filter(pk=old.pk).update(last_login=now - timedelta(days=91))
    never = UserFactory(username="neverused", role=Role.SAB_MEMBER)
    type(never).objects.filter(pk=never.pk).update(date_joined=now - timedelta(days=120), last_login=None)
    recent = UserFactory(username="recent", role=Role.PRACTITIONER, teams=[world.team_a])
    type(recent).objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=89))

    out = io.StringIO()
    call_command("deactivate_dormant_accounts", stdout=out)
    assert "Deactivated 2 account(s) unused for 90 days." in out.getvalue()
    for user, active in ((old, False), (never, False), (recent, True), (world.practitioner, True)):
        user.refresh_from_db()
        assert user.is_active is active, user.username
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(old.pk)]
    events = AuditEvent.objects.filter(object_type="accounts.user", detail__startswith="dormant")
    assert sorted(int(e.object_id) for e in events) == sorted([old.pk, never.pk])
    assert all(e.actor is None and e.fields == ["is_active"] for e in events)


def test_the_dormant_limit_comes_from_the_setting(world, settings):
    from accounts import services

    settings.DORMANT_ACCOUNT_DAYS = 10
    type(world.colleague).objects.filter(pk=world.colleague.pk).update(last_login=timezone.now() - timedelta(days=11))
    assert [u.username for u in services.deactivate_dormant_accounts()] == ["cole"]
