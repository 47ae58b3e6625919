"""Trigram indexes for "find a case" by part of a name, on PostgreSQL only.

Name search is `icontains`, which PostgreSQL runs as UPPER(name) LIKE UPPER('%term%'): a
GIN pg_trgm index over the same expression answers it without scanning a million people.
SQLite (the demo) has no pg_trgm and scans, which is fine at demo sizes.
"""

from django.db import migrations

INDEXES = {
    "person_legal_name_trgm": "legal_name",
    "person_preferred_name_trgm": "preferred_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON cases_person USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_and_overdue_indexes")]

    operations = [migrations.RunPython(create, drop)]
