"""Append an audit row in one statement on PostgreSQL (lock, chain head, hash, insert).

`AuditEvent.save()` used to take the chain lock and then make three more round trips from
Python (read the head, insert, release) before its transaction could commit; every audited
request in the system queued behind those round trips (the load test measured half of the
busy database sessions waiting for the lock). This function does the same steps inside the
server, so outside a larger transaction the lock is held only for the insert and its commit.

The hash is the same SHA-256 over the same canonical JSON as `accounts.models.audit_hash`:
the caller passes the JSON of every field after `at` (`p_rest`, starting after the array's
opening bracket); the function puts the previous hash and the time in front. Each statement
of a VOLATILE PL/pgSQL function takes a fresh snapshot, so the head read after the lock sees
the last committed row (READ COMMITTED, Django's default).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION accounts_audit_append(
    p_lock bigint, p_actor_id bigint, p_action varchar, p_object_type varchar, p_object_id varchar,
    p_case_id bigint, p_fields jsonb, p_detail varchar, p_rest text
) RETURNS TABLE (event_id bigint, event_at timestamptz, event_prev_hash varchar, event_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_prev varchar;
    v_at timestamptz;
    v_hash varchar;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock);
    SELECT e.hash INTO v_prev FROM accounts_auditevent e ORDER BY e.id DESC LIMIT 1;
    v_prev := coalesce(v_prev, '');
    v_at := clock_timestamp();
    v_hash := encode(sha256(convert_to(
        '["' || v_prev || '","' || to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '",' || p_rest,
        'UTF8')), 'hex');
    RETURN QUERY
        INSERT INTO accounts_auditevent AS e
            (at, actor_id, action, object_type, object_id, case_id, fields, detail, prev_hash, hash)
        VALUES (v_at, p_actor_id, p_action, p_object_type, p_object_id, p_case_id, p_fields, p_detail, v_prev, v_hash)
        RETURNING e.id, e.at, e.prev_hash, e.hash;
END;
$$;
"""
PG_DROP = "DROP FUNCTION IF EXISTS accounts_audit_append(bigint, bigint, varchar, varchar, varchar, bigint, jsonb, varchar, text);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_append_only_triggers")]

    operations = [migrations.RunPython(create, drop)]
