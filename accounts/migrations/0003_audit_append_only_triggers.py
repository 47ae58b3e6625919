"""Refuse UPDATE and DELETE on the audit table inside the database itself.

The model already refuses them; the triggers also stop raw SQL and other clients using the
application's database role. (A superuser can still disable a trigger: the hash chain
and `manage.py verify_audit_log` catch what that would allow.)
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION accounts_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % refused on accounts_auditevent', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_refuse_change();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_refuse_change();
"""
# SQLite: UPDATE only. Django's test flush empties tables with DELETE on SQLite, so a DELETE
# trigger would break transactional tests; production runs PostgreSQL.
SQLITE_CREATE = """
CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE refused on accounts_auditevent'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_hash_chain")]

    operations = [migrations.RunPython(create, drop)]
