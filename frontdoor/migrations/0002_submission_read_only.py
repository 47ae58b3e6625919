"""Refuse UPDATE on front-door submissions inside the database: what the referrer sent is kept
exactly as sent. (The model refuses too; this also stops raw SQL. DELETE stays possible, for
retention.)"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION frontdoor_submission_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A front-door submission is kept as sent: UPDATE refused on frontdoor_submission';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER frontdoor_submission_read_only
    BEFORE UPDATE ON frontdoor_submission
    FOR EACH ROW EXECUTE FUNCTION frontdoor_submission_refuse_update();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS frontdoor_submission_read_only ON frontdoor_submission;
DROP FUNCTION IF EXISTS frontdoor_submission_refuse_update();
"""
SQLITE_CREATE = """
CREATE TRIGGER frontdoor_submission_read_only BEFORE UPDATE ON frontdoor_submission
BEGIN SELECT RAISE(ABORT, 'A front-door submission is kept as sent: UPDATE refused on frontdoor_submission'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS frontdoor_submission_read_only;"


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
    dependencies = [("frontdoor", "0001_front_door")]

    operations = [migrations.RunPython(create, drop)]
