"""The beat schedule and its housekeeping: every entry names a registered task, `make
reminders` runs them all once, and the audit-log check alerts by log and mail when it fails."""

import datetime
import io
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.submissions import FormSubmission
from accounts.tests.factories import UserFactory
from msp.celery import app
from msp.locks import exclusive
from notifications import housekeeping, services
from notifications.models import Notification
from outcomes.tests.factories import PlanActionFactory

pytestmark = pytest.mark.django_db


def test_every_schedule_entry_is_a_registered_task_of_the_notifications_app():
    app.loader.import_default_modules()
    assert set(settings.CELERY_BEAT_SCHEDULE) == {
        "reminders-sweep", "daily-digest", "verify-audit-log", "deactivate-dormant-accounts", "expire-one-time-keys",
    }  # fmt: skip
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_the_procfile_and_systemd_run_a_beat():
    root = settings.BASE_DIR
    assert any(line.startswith("beat: celery -A msp beat") for line in (root / "Procfile").read_text().splitlines())
    unit = (root / "msp" / "deploy" / "msp-beat.service").read_text()
    assert "celery -A msp beat" in unit
    assert not (root / "msp" / "deploy" / "msp-verify-audit.timer").exists()  # moved into beat


def test_run_reminders_runs_every_task_once(world):
    PlanActionFactory(case=world.case, due_on=datetime.date(2020, 1, 6))
    out = io.StringIO()
    call_command("run_reminders", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == list(settings.CELERY_BEAT_SCHEDULE)
    assert Notification.objects.filter(user=world.practitioner).count() == 1
    call_command("run_reminders", "--only", "reminders-sweep", stdout=out)  # again: nothing new
    assert Notification.objects.filter(user=world.practitioner).count() == 1


def test_the_audit_check_passes_quietly_and_fails_loudly_to_the_leads(world, caplog):
    world.lead.email = "lee@example.invalid"
    world.lead.save()
    AuditEvent.objects.create(actor=None, action="view", detail="one entry")
    assert housekeeping.verify_audit_log() is True
    assert mail.outbox == []
    with connection.cursor() as cursor:  # tamper as a superuser would (the append-only trigger off)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE accounts_auditevent SET detail = 'altered' WHERE detail = 'one entry'")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    with caplog.at_level(logging.ERROR, logger="accounts.audit"):
        assert housekeeping.verify_audit_log() is False
    assert "Audit log verification FAILED" in caplog.text
    (message,) = mail.outbox
    assert message.to == ["lee@example.invalid"] and "audit log" in message.subject


def test_dormant_accounts_are_deactivated_on_the_schedule(world, settings):
    old = UserFactory(username="olive")
    User.objects.filter(pk=old.pk).update(last_login=timezone.now() - datetime.timedelta(days=400))
    assert housekeeping.deactivate_dormant_accounts() >= 1
    old.refresh_from_db()
    assert not old.is_active


def test_one_time_submission_keys_expire_after_their_day(world):
    stale = FormSubmission.objects.create(user=world.practitioner, key="a" * 32)
    FormSubmission.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    fresh = FormSubmission.objects.create(user=world.practitioner, key="b" * 32)
    assert housekeeping.expire_one_time_keys() == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_sweep_while_another_holds_the_lock_does_nothing(world):
    """The second beat's sweep finds the advisory lock taken (held here on another connection)."""
    from django.db import connections

    PlanActionFactory(case=world.case, due_on=datetime.date(2020, 1, 6))
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [services.SWEEP_LOCK])
        assert services.sweep() is None
        assert Notification.objects.count() == 0
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [services.SWEEP_LOCK])
    finally:
        other.close()
    with exclusive(services.SWEEP_LOCK) as acquired:
        assert acquired
