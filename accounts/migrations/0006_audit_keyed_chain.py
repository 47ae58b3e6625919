"""Key the audit chain (HMAC-SHA256, key from the environment) and refuse TRUNCATE.

1. The append function of migration 0005 computed an unkeyed SHA-256 inside PostgreSQL, which
   anyone able to edit a row could recompute. Hashing with a key inside the database would put
   the key in front of the database (statement logs, pg_stat_activity, auto_explain), so the
   HMAC moves to Python: the writer reads the head and the time (no lock), seals the row, and
   `accounts_audit_append_sealed` takes the chain lock and inserts it only if that head is still
   the head (else it returns the new head, and the writer re-seals and retries). The lock is
   held for one statement and the commit, as with 0005's function; nothing keyed runs in it.
2. A statement trigger refuses TRUNCATE (the row triggers of migration 0003 do not fire on it).
3. Existing rows are re-sealed: the unkeyed chain is verified first (the migration stops,
   changing nothing, if it is broken), then every row's `prev_hash` and `hash` are recomputed
   with the key, oldest first. After this every row is keyed; there is no per-row version a
   forger could set back to "unkeyed". Reversing re-seals with the unkeyed SHA-256.
"""

from django.conf import settings
from django.db import migrations

APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_audit_append_sealed(
    p_lock bigint, p_prev varchar, p_at timestamptz, p_actor_id bigint, p_action varchar, p_object_type varchar,
    p_object_id varchar, p_case_id bigint, p_fields jsonb, p_detail varchar, p_changes jsonb, p_hash varchar
) RETURNS TABLE (event_id bigint, head_hash varchar, head_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_head varchar;
    v_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock);
    -- A new statement, so a new snapshot: it sees the row the last lock holder committed.
    SELECT e.hash INTO v_head FROM accounts_auditevent e ORDER BY e.id DESC LIMIT 1;
    v_head := coalesce(v_head, '');
    IF v_head <> p_prev THEN
        -- Sealed onto a head that is no longer the head: nothing inserted; the caller re-seals.
        RETURN QUERY SELECT NULL::bigint, v_head, clock_timestamp();
        RETURN;
    END IF;
    INSERT INTO accounts_auditevent
        (at, actor_id, action, object_type, object_id, case_id, fields, detail, changes, prev_hash, hash)
    VALUES (p_at, p_actor_id, p_action, p_object_type, p_object_id, p_case_id, p_fields, p_detail, p_changes,
            p_prev, p_hash)
    RETURNING id INTO v_id;
    RETURN QUERY SELECT v_id, p_hash, p_at;
END;
$$;
"""
DROP_APPEND_FUNCTION = (
    "DROP FUNCTION IF EXISTS accounts_audit_append_sealed("
    "bigint, varchar, timestamptz, bigint, varchar, varchar, varchar, bigint, jsonb, varchar, jsonb, varchar);"
)
TRUNCATE_TRIGGER = """
CREATE TRIGGER accounts_auditevent_no_truncate
    BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditevent_refuse_change();
"""
DROP_TRUNCATE_TRIGGER = "DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;"
OLD_APPEND = (
    "DROP FUNCTION IF EXISTS accounts_audit_append("
    "bigint, bigint, varchar, varchar, varchar, bigint, jsonb, varchar, jsonb, text);"
)
BATCH = 2000


def _hash_of(row, prev, hasher):
    return hasher(
        prev_hash=prev,
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        case_id=row.case_id,
        fields=row.fields,
        detail=row.detail,
        changes=row.changes,
    )


def _rows(AuditEvent):
    last = 0
    while True:
        batch = list(AuditEvent._base_manager.filter(id__gt=last).order_by("id")[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def reseal(AuditEvent, connection, *, old, new):
    """Check every row against the `old` chain, then rewrite the chain with `new`."""
    prev = ""
    for row in _rows(AuditEvent):
        if row.prev_hash != prev or _hash_of(row, prev, old) != row.hash:
            raise RuntimeError(
                f"The audit log is broken at entry id={row.id}; it was not re-sealed with the key. "
                "Investigate with `manage.py verify_audit_log` on the previous release before migrating."
            )
        prev = row.hash
    # A failure rolls back the migration's transaction, trigger switch included.
    _row_trigger(connection, enable=False)
    prev = ""
    pending = []
    for row in _rows(AuditEvent):
        row.prev_hash = prev
        row.hash = _hash_of(row, prev, new)
        prev = row.hash
        pending.append(row)
        if len(pending) == BATCH:
            AuditEvent._base_manager.bulk_update(pending, ["prev_hash", "hash"])
            pending = []
    AuditEvent._base_manager.bulk_update(pending, ["prev_hash", "hash"])
    _row_trigger(connection, enable=True)


def _row_trigger(connection, *, enable):
    """The owner may switch the UPDATE trigger off for the re-seal (inside this migration's
    transaction on PostgreSQL: nobody else ever sees it off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            state = "ENABLE" if enable else "DISABLE"
            cursor.execute(f"ALTER TABLE accounts_auditevent {state} TRIGGER accounts_auditevent_append_only")
        elif connection.vendor == "sqlite":
            import importlib

            triggers = importlib.import_module("accounts.migrations.0003_audit_append_only_triggers")
            cursor.execute(triggers.SQLITE_CREATE if enable else triggers.SQLITE_DROP)


def forwards(apps, schema_editor):
    from accounts.models import audit_hash, legacy_audit_hash

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_FUNCTION, params=None)
        schema_editor.execute(OLD_APPEND)
        schema_editor.execute(TRUNCATE_TRIGGER)

    def keyed(**row):
        return audit_hash(key=settings.AUDIT_HMAC_KEY, **row)

    reseal(apps.get_model("accounts", "AuditEvent"), schema_editor.connection, old=legacy_audit_hash, new=keyed)


def backwards(apps, schema_editor):
    import importlib

    from accounts.models import audit_hash, legacy_audit_hash

    def keyed(**row):
        return audit_hash(key=settings.AUDIT_HMAC_KEY, **row)

    reseal(apps.get_model("accounts", "AuditEvent"), schema_editor.connection, old=keyed, new=legacy_audit_hash)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRUNCATE_TRIGGER)
        schema_editor.execute(DROP_APPEND_FUNCTION)
        previous = importlib.import_module("accounts.migrations.0005_auditevent_changes")
        schema_editor.execute(previous.PG_CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_auditevent_changes")]

    operations = [migrations.RunPython(forwards, backwards)]
