"""The audit log against a database administrator (PostgreSQL only: production's database).

Two kinds of attacker. The application's own role (granted exactly what
`msp/deploy/app-role.sql` grants) must be refused every destructive statement outright. A
superuser or the table owner can switch the triggers off; what they can then do (empty the
table, cut its tail, edit a row and recompute an unkeyed chain) must be *detected* by
`verify_audit_log`: the chain is an HMAC whose key never reaches the database, and the daily
verification keeps an anchor (entry count and head hash) outside it.
"""

import hashlib
import json
import re
from datetime import UTC
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import audit
from accounts.models import AuditAction, AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles, TRUNCATE and trigger switching are PostgreSQL's; the suite runs on PostgreSQL in CI",
    ),
]

GRANTS = Path(settings.BASE_DIR) / "msp" / "deploy" / "app-role.sql"


def _write(n):
    return [
        audit.record(actor=None, action=AuditAction.VIEW, object_type="cases.case", case_id=i, fields=["name"])
        for i in range(n)
    ]


def _verify(anchor=None):
    out = StringIO()
    options = {"anchor_file": str(anchor)} if anchor else {}
    call_command("verify_audit_log", stdout=out, **options)
    return out.getvalue()


def _as_superuser_with_triggers_off(sql, params=()):
    """What a superuser can do: switch every trigger off for the transaction, then write."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def app_role():
    """A role with exactly the grants of msp/deploy/app-role.sql, created inside the test's
    transaction (so it is gone afterwards). Returns a function running SQL as that role."""
    name = f"{connection.settings_dict['NAME']}_app"[:63]
    quoted = connection.ops.quote_name(name)
    script = re.sub(r"--[^\n]*", "", GRANTS.read_text()).replace(':"app_role"', quoted)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {quoted} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        for statement in filter(str.strip, script.split(";")):
            cursor.execute(statement)

    def run(sql, params=()):
        # SET LOCAL ROLE inside a savepoint: a refused statement rolls the role back with it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {quoted}")
            cursor.execute(sql, params)
            cursor.execute("RESET ROLE")

    run.name = name
    return run


# --- the application's role is refused ------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        "TRUNCATE accounts_auditevent",
        "DELETE FROM accounts_auditevent",
        "UPDATE accounts_auditevent SET detail = 'forged'",
        "ALTER TABLE accounts_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only",
        "DROP TRIGGER accounts_auditevent_append_only ON accounts_auditevent",
        "SET session_replication_role = replica",
        "DROP TABLE accounts_auditevent",
    ],
)
def test_the_application_role_cannot_change_or_empty_the_log(app_role, attack):
    _write(3)
    before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    with pytest.raises(DatabaseError, match="permission denied|must be owner|append-only"):
        app_role(attack)
    assert list(AuditEvent.objects.order_by("id").values_list("id", "hash")) == before


def test_the_application_role_appends_and_verifies(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(app_role.name)}")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app_role.name,)
    _write(3)  # as the application role: the head function and INSERT are enough
    assert "Audit log intact" in _verify()
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


# --- the owner: TRUNCATE refused by a statement trigger -------------------------------------


def test_truncate_is_refused_even_for_the_table_owner():
    _write(2)
    refused = pytest.raises(DatabaseError, match="append-only: TRUNCATE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE accounts_auditevent")
    assert AuditEvent.objects.count() >= 2


# --- a superuser with the triggers off: detected --------------------------------------------


def test_truncate_with_the_triggers_off_is_detected_against_the_anchor(tmp_path):
    _write(3)
    anchor = tmp_path / "anchors.jsonl"
    _verify(anchor)
    _as_superuser_with_triggers_off("TRUNCATE accounts_auditevent")
    assert AuditEvent.objects.count() == 0
    with pytest.raises(CommandError, match="missing"):
        _verify(anchor)


def test_deleting_the_newest_entries_is_detected_against_the_anchor(tmp_path):
    events = _write(5)
    anchor = tmp_path / "anchors.jsonl"
    assert "Audit log intact" in _verify(anchor)
    _as_superuser_with_triggers_off("DELETE FROM accounts_auditevent WHERE id >= %s", [events[3].pk])
    # The chain that is left is internally consistent: only the anchor shows the loss.
    with pytest.raises(CommandError, match=r"2 entries? .*missing|missing.*2 entr"):
        _verify(anchor)


def test_deleting_the_tail_and_writing_new_entries_is_detected(tmp_path):
    events = _write(4)
    anchor = tmp_path / "anchors.jsonl"
    _verify(anchor)
    _as_superuser_with_triggers_off("DELETE FROM accounts_auditevent WHERE id >= %s", [events[2].pk])
    _write(3)  # the count is back above the anchor's, but the anchored head is gone
    with pytest.raises(CommandError, match="anchor"):
        _verify(anchor)


def _canonical_text(event):
    """The row as the chain serialises it (the format is no secret: it is in the source)."""
    values = [
        event.prev_hash,
        event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        event.actor_id,
        event.action,
        event.object_type,
        event.object_id,
        event.case_id,
        list(event.fields),
        event.detail,
    ]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=True, sort_keys=True)


def _unkeyed_hash(event):
    """The hash anyone could compute before the chain was keyed: plain SHA-256."""
    return hashlib.sha256(_canonical_text(event).encode()).hexdigest()


def _rehash_from(events, start, rehash):
    """Edit events[start] and recompute the chain from there on, as a superuser would."""
    prev = events[start - 1].hash if start else events[0].prev_hash
    for position, event in enumerate(events[start:], start):
        event.refresh_from_db()
        if position == start:
            event.detail = "forged"
        event.prev_hash = prev
        event.hash = rehash(event)
        _as_superuser_with_triggers_off(
            "UPDATE accounts_auditevent SET detail = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.detail, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash


def test_an_edited_entry_with_the_unkeyed_chain_recomputed_is_detected():
    events = _write(4)
    _rehash_from(events, 1, _unkeyed_hash)
    with pytest.raises(CommandError, match=f"id={events[1].pk}: its contents do not match"):
        _verify()


def test_an_edited_entry_rehashed_with_a_guessed_key_is_detected():
    import hmac

    def guessed(event):
        wrong_key = b"test-only-audit-hmac-key-guessed-by-the-attacker-0123456789"
        return hmac.new(wrong_key, _canonical_text(event).encode(), hashlib.sha256).hexdigest()

    events = _write(3)
    _rehash_from(events, 0, guessed)
    with pytest.raises(CommandError, match=f"id={events[0].pk}: its contents do not match"):
        _verify()


def test_the_key_never_reaches_the_database():
    key = settings.AUDIT_HMAC_KEY
    with CaptureQueriesContext(connection) as queries:
        _write(2)
    assert queries.captured_queries
    assert all(key not in query["sql"] for query in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE prosrc LIKE %s", [f"%{key}%"])
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM pg_settings WHERE setting LIKE %s", [f"%{key}%"])
        assert cursor.fetchone() == (0,)
