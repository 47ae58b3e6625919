"""Audit rows carry `changes`: old and new values of staff-account facts, sealed in the chain.

The append function of migration 0004 is replaced by one that also inserts `changes`. As
before, Python builds the canonical JSON of every sealed value after `at` (`p_rest`) and the
function puts the previous hash and the time in front, so the text hashed is the one
`accounts.models.audit_hash` builds, byte for byte. `changes` joins that text only when it
is non-empty, so every row written before this migration still verifies unchanged.
"""

from django.db import migrations, models

PG_CREATE = """
DROP FUNCTION IF EXISTS accounts_audit_append(bigint, bigint, varchar, varchar, varchar, bigint, jsonb, varchar, text);
CREATE OR REPLACE FUNCTION accounts_audit_append(
    p_lock bigint, p_actor_id bigint, p_action varchar, p_object_type varchar, p_object_id varchar,
    p_case_id bigint, p_fields jsonb, p_detail varchar, p_changes jsonb, p_rest text
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
            (at, actor_id, action, object_type, object_id, case_id, fields, detail, changes, prev_hash, hash)
        VALUES (v_at, p_actor_id, p_action, p_object_type, p_object_id, p_case_id, p_fields, p_detail, p_changes,
                v_prev, v_hash)
        RETURNING e.id, e.at, e.prev_hash, e.hash;
END;
$$;
"""
PG_DROP = (
    "DROP FUNCTION IF EXISTS accounts_audit_append("
    "bigint, bigint, varchar, varchar, varchar, bigint, jsonb, varchar, jsonb, text);"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)


def drop(apps, schema_editor):
    # Back to migration 0004's function (its module name starts with a digit: no plain import).
    if schema_editor.connection.vendor == "postgresql":
        import importlib

        schema_editor.execute(PG_DROP)
        previous = importlib.import_module("accounts.migrations.0004_audit_append_function")
        schema_editor.execute(previous.PG_CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_audit_append_function")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="changes",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(create, drop),
    ]
