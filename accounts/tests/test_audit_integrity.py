"""The audit log is append-only in the database and tamper-evident through a hash chain."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from accounts import audit
from accounts.models import AuditAction, AuditEvent
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _write(n, actor=None):
    return [
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="cases.case", case_id=i, fields=["name"])
        for i in range(n)
    ]


def _verify():
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def _raw_update(sql, params):
    """Change a row behind the application's back, as an attacker with database access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the transaction: the chain still notices.
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER accounts_auditevent_no_update")
        cursor.execute(sql, params)


def test_each_entry_chains_onto_the_one_before():
    first, second, third = _write(3)
    assert first.prev_hash == "" or AuditEvent.objects.filter(hash=first.prev_hash).exists()
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert all(e.hash == e.compute_hash() for e in AuditEvent.objects.all())


def test_verify_reports_the_count_when_the_log_is_intact():
    _write(5, actor=UserFactory())
    total = AuditEvent.objects.count()
    assert f"Audit log intact: {total} entries verified." in _verify()


def test_verify_names_the_first_altered_entry():
    events = _write(4)
    _raw_update("UPDATE accounts_auditevent SET detail = %s WHERE id = %s", ["tampered", events[1].pk])
    with pytest.raises(CommandError, match=f"id={events[1].pk}:"):
        _verify()


def test_verify_notices_a_removed_entry():
    events = _write(4)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"id={events[3].pk}:"):
        _verify()


def test_verify_notices_a_rehashed_entry_whose_successor_no_longer_follows():
    events = _write(3)
    forged = events[1]
    forged.detail = "forged"
    forged.hash = forged.compute_hash()
    _raw_update(
        "UPDATE accounts_auditevent SET detail = %s, hash = %s WHERE id = %s", [forged.detail, forged.hash, forged.pk]
    )
    with pytest.raises(CommandError, match=f"id={events[2].pk}:"):
        _verify()


def test_verify_command_exits_non_zero_from_the_shell(tmp_path):
    events = _write(2)
    _raw_update("UPDATE accounts_auditevent SET object_id = %s WHERE id = %s", ["999", events[0].pk])
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit_log")
    assert caught.value.returncode == 1


def test_database_refuses_update_of_an_audit_row():
    (event,) = _write(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET detail = 'x' WHERE id = %s", [event.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL only")
def test_database_refuses_delete_of_an_audit_row():
    (event,) = _write(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])


def test_the_model_refuses_changes_and_bulk_writes():
    (event,) = _write(1)
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.bulk_create([AuditEvent(action=AuditAction.VIEW, object_type="x")])


def _change_row(changes):
    return audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        object_type="accounts.user",
        fields=["role", "teams"],
        changes=changes,
    )


def test_an_entry_with_account_changes_verifies_and_keeps_them():
    changes = {"teams": [["North Team"], ["North Team", "South Team"]], "role": ["practitioner", "lead"]}
    event = _change_row(changes)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.changes == changes
    assert stored.compute_hash() == stored.hash
    assert f"Audit log intact: {AuditEvent.objects.count()} entries verified." in _verify()


def test_the_hash_seals_the_changes():
    (plain,) = _write(1)
    event = _change_row({"role": ["practitioner", "lead"]})
    assert event.hash != plain.hash
    # The same row with other (or no) changes hashes differently: the changes are sealed.
    event.changes = {"role": ["practitioner", "manager"]}
    assert event.compute_hash() != event.hash
    event.changes = {}
    assert event.compute_hash() != event.hash


def test_verify_names_an_entry_whose_changes_were_altered():
    event = _change_row({"role": ["practitioner", "lead"]})
    _write(1)
    _raw_update("UPDATE accounts_auditevent SET changes = %s WHERE id = %s", ['{"role": ["lead", "lead"]}', event.pk])
    with pytest.raises(CommandError, match=f"id={event.pk}: its contents"):
        _verify()


def test_verify_names_an_entry_whose_changes_were_removed():
    event = _change_row({"is_active": [True, False]})
    _raw_update("UPDATE accounts_auditevent SET changes = %s WHERE id = %s", ["{}", event.pk])
    with pytest.raises(CommandError, match=f"id={event.pk}: its contents"):
        _verify()
