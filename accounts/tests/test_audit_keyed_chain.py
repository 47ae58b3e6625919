"""The chain is keyed (HMAC-SHA256, key from the environment), the existing unkeyed chain is
re-sealed by migration 0006, and the daily verification keeps an anchor outside the table."""

import importlib
import json
import logging
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts import audit
from accounts.models import AuditAction, AuditEvent, audit_hash, legacy_audit_hash

pytestmark = pytest.mark.django_db

keyed_chain = importlib.import_module("accounts.migrations.0006_audit_keyed_chain")


def _write(n):
    return [
        audit.record(actor=None, action=AuditAction.VIEW, object_type="cases.case", case_id=i, fields=["name"])
        for i in range(n)
    ]


def _verify(**options):
    out = StringIO()
    call_command("verify_audit_log", stdout=out, **options)
    return out.getvalue()


def _keyed(**row):
    return audit_hash(key=settings.AUDIT_HMAC_KEY, **row)


def _flush_deferred_checks():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # ALTER TABLE refuses pending foreign-key checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# --- the key --------------------------------------------------------------------------------


def test_each_hash_is_an_hmac_with_the_configured_key():
    (event,) = _write(1)
    assert event.hash == event.compute_hash(key=settings.AUDIT_HMAC_KEY)
    assert event.hash != event.compute_hash(key="another-key-of-the-same-length-0123456789abcdef")
    assert event.hash != legacy_audit_hash(
        prev_hash=event.prev_hash, at=event.at, actor_id=event.actor_id, action=event.action,
        object_type=event.object_type, object_id=event.object_id, case_id=event.case_id,
        fields=event.fields, detail=event.detail,
    )  # fmt: skip


def test_verification_with_another_key_fails(settings):
    _write(2)
    settings.AUDIT_HMAC_KEY = "a-different-key-than-the-writer-had-0123456789"
    with pytest.raises(CommandError, match="its contents do not match its hash"):
        _verify()


def _settings_in_a_subprocess(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"AUDIT_HMAC_KEY", "DEBUG", "SECRET_KEY"}}
    clean.update(DJANGO_SETTINGS_MODULE="msp.settings", **env)
    code = "from django.conf import settings; print(settings.AUDIT_HMAC_KEY[:19])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_long_enough_key():
    missing = _settings_in_a_subprocess(DEBUG="false", SECRET_KEY="x" * 60)
    assert missing.returncode != 0
    assert "AUDIT_HMAC_KEY must be set when DEBUG is false" in missing.stderr
    short = _settings_in_a_subprocess(DEBUG="false", SECRET_KEY="x" * 60, AUDIT_HMAC_KEY="too-short")
    assert short.returncode != 0
    assert "AUDIT_HMAC_KEY must be at least 32 characters" in short.stderr


def test_the_demo_derives_a_key_so_make_run_needs_none():
    demo = _settings_in_a_subprocess(DEBUG="true")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.strip() == "dev-only-audit-key-"


# --- migration 0006 re-seals the unkeyed chain ----------------------------------------------


def test_the_migration_reseals_an_unkeyed_chain_with_the_key():
    events = _write(3)
    _flush_deferred_checks()
    # The log as the previous release left it: the unkeyed SHA-256 chain.
    keyed_chain.reseal(AuditEvent, connection, old=_keyed, new=legacy_audit_hash)
    with pytest.raises(CommandError, match="its contents do not match its hash"):
        _verify()
    keyed_chain.reseal(AuditEvent, connection, old=legacy_audit_hash, new=_keyed)
    assert f"Audit log intact: {AuditEvent.objects.count()} entries verified." in _verify()
    rows = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id"))
    assert [r.detail for r in rows] == [e.detail for e in events]
    assert rows[1].prev_hash == rows[0].hash
    # The triggers are back on after the re-seal.
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        from django.db import transaction

        with transaction.atomic():
            cursor.execute("UPDATE accounts_auditevent SET detail = 'x' WHERE id = %s", [rows[0].pk])


def test_the_migration_refuses_to_reseal_a_broken_chain_and_changes_nothing():
    events = _write(3)
    _flush_deferred_checks()
    keyed_chain.reseal(AuditEvent, connection, old=_keyed, new=legacy_audit_hash)
    keyed_chain._row_trigger(connection, enable=False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET detail = 'forged' WHERE id = %s", [events[1].pk])
    keyed_chain._row_trigger(connection, enable=True)
    before = list(AuditEvent.objects.order_by("id").values_list("hash", flat=True))
    with pytest.raises(RuntimeError, match=f"broken at entry id={events[1].pk}"):
        keyed_chain.reseal(AuditEvent, connection, old=legacy_audit_hash, new=_keyed)
    assert list(AuditEvent.objects.order_by("id").values_list("hash", flat=True)) == before


# --- the anchor -----------------------------------------------------------------------------


def test_verify_appends_an_anchor_and_logs_it(tmp_path, caplog):
    _write(3)
    anchor = tmp_path / "anchors.jsonl"
    with caplog.at_level(logging.INFO, logger="accounts.audit"):
        out = _verify(anchor_file=str(anchor))
    head = AuditEvent.objects.order_by("-id").first()
    count = AuditEvent.objects.count()
    (line,) = anchor.read_text().splitlines()
    recorded = json.loads(line)
    # Only the count, the head's id and hash, and the time: nothing from the rows themselves.
    assert set(recorded) == {"time", "entries", "head_id", "head_hash"}
    assert (recorded["entries"], recorded["head_id"], recorded["head_hash"]) == (count, head.id, head.hash)
    assert f"Audit log anchor: {count} entries, head id={head.id} hash={head.hash}" in caplog.text
    assert f"Anchor appended to {anchor}" in out


def test_the_next_run_finds_the_anchor_and_adds_one(tmp_path):
    _write(2)
    anchor = tmp_path / "anchors.jsonl"
    _verify(anchor_file=str(anchor))
    _write(2)
    out = _verify(anchor_file=str(anchor))
    assert "is in the chain" in out
    first, second = (json.loads(line) for line in anchor.read_text().splitlines())
    assert second["entries"] == first["entries"] + 2


def test_the_anchor_file_comes_from_the_setting(tmp_path, settings):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "from-setting.jsonl")
    _write(1)
    _verify()
    assert json.loads((tmp_path / "from-setting.jsonl").read_text())["entries"] == AuditEvent.objects.count()


def test_an_anchor_beyond_the_table_fails(tmp_path):
    _write(2)
    anchor = tmp_path / "anchors.jsonl"
    count = AuditEvent.objects.count()
    anchor.write_text(json.dumps({"time": "2026-12-01T02:30:00+00:00", "entries": count + 3,
                                  "head_id": 10**9, "head_hash": "f" * 64}) + "\n")  # fmt: skip
    with pytest.raises(CommandError, match="3 entries are missing"):
        _verify(anchor_file=str(anchor))
    assert len(anchor.read_text().splitlines()) == 1  # a failed run adds no anchor


def test_an_unreadable_anchor_file_is_an_error_not_a_pass(tmp_path):
    _write(1)
    anchor = tmp_path / "anchors.jsonl"
    anchor.write_text("not json\n")
    with pytest.raises(CommandError, match="is not an anchor; nothing was checked"):
        _verify(anchor_file=str(anchor))


def test_an_anchor_that_cannot_be_written_fails_the_run(tmp_path):
    _write(1)
    with pytest.raises(CommandError, match="the anchor could not be appended"):
        _verify(anchor_file=str(tmp_path / "no-such-folder" / "anchors.jsonl"))
