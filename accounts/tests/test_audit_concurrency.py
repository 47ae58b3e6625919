"""Concurrent writers on PostgreSQL stay in one unbroken audit chain."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from accounts import audit
from accounts.models import AuditAction, AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL sessions"),
]

WRITERS = 4
EACH = 25


def _writer(barrier, errors):
    try:
        barrier.wait()
        for i in range(EACH):
            audit.record(actor=None, action=AuditAction.VIEW, object_type="cases.case", case_id=i)
    except Exception as exc:  # noqa: BLE001 - reported by the test below
        errors.append(exc)
    finally:
        connections.close_all()


def test_parallel_writers_keep_one_chain(capsys):
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors = []
    threads = [threading.Thread(target=_writer, args=(barrier, errors)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = AuditEvent.objects.count()
    assert total == before + WRITERS * EACH
    call_command("verify_audit_log")
    assert f"Audit log intact: {total} entries verified." in capsys.readouterr().out


def test_a_writer_that_sealed_onto_a_stale_head_reseals_and_chains_on(monkeypatch, capsys):
    from accounts import models

    first, second = (
        audit.record(actor=None, action=AuditAction.VIEW, object_type="cases.case", case_id=i) for i in range(2)
    )
    # As if another writer appended `second` between this writer's head read and its append.
    monkeypatch.setattr(models, "_HEAD_SQL", f"SELECT '{first.hash}'::varchar, clock_timestamp()")
    third = audit.record(actor=None, action=AuditAction.VIEW, object_type="cases.case", case_id=3)
    assert third.prev_hash == second.hash
    assert AuditEvent.objects.filter(prev_hash=first.hash).count() == 1  # no fork
    stored = AuditEvent.objects.get(pk=third.pk)
    assert (stored.hash, stored.at) == (third.hash, third.at)
    call_command("verify_audit_log")
    assert "Audit log intact" in capsys.readouterr().out
