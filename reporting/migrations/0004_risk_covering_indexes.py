"""Covering indexes for the SAC aggregation over risk records (PostgreSQL only).

Every statement of `reporting.aggregation` is answered from indexes alone (see
`reporting/tests/test_aggregation_plans.py`). The risk statements read `cases_risk` by its
enquiry (`case_id`) with the columns they group by, and `cases_risktype` through its unique
(risk_id, abuse_type) index; SG1 groups by the person's demographics with the health
condition. The case and concluded-enquiry indexes here repeat `cases` 0004's without the
version-1 columns (`location_of_risk`, `source_of_risk`, `risk_outcome`): PostgreSQL drops an
index with a column when the column is dropped, so these keep the statements index-only
when those columns are removed.

Kept out of the model state (RunSQL inside a vendor check): SQLite has no INCLUDE, and the
indexes serve the reporting statements only.
"""

from django.db import migrations

INDEXES = {
    "risk_report_columns": "cases_risk (case_id) INCLUDE (id, location, source, assessment, result)",
    "person_sac_demographics": (
        "cases_person (id) INCLUDE (date_of_birth, gender, ethnicity, primary_support_reason, health_condition)"
    ),
    "case_person_team": "cases_case (id) INCLUDE (person_id, team_id)",
    "enquiry_concluded_sac": (
        "cases_enquiry (concluded_on, kind) INCLUDE (case_id, asked_desired_outcomes, outcomes_achieved, "
        "lacked_capacity, advocacy)"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_return_run"),
        ("cases", "0011_v1_risk_columns_optional"),
    ]

    operations = [migrations.RunPython(create, drop)]
