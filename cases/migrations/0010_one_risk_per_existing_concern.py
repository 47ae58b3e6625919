"""Every existing concern becomes one risk (interchange.md, section 1b).

The concern's abuse types, location and source of risk become its one risk; a concluded
enquiry's version-1 `risk_outcome` becomes that risk's assessment and result:
removed/reduced/remains → risk identified and action taken, with the result removed/reduced/
remained; no_risk → no risk identified and no action taken; ceased → ceased at the individual's
request. Written as two INSERT ... SELECT statements so a million concerns move in seconds.
"""

from django.db import migrations

from cases.codes import V1_RISK_OUTCOME


def _case_when(column, index):
    whens = " ".join(f"WHEN '{old}' THEN '{new[index]}'" for old, new in V1_RISK_OUTCOME.items())
    return f"CASE {column} {whens} ELSE '' END"


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_risk (case_id, location, source, assessment, result, version, created_at, updated_at) "
            f"SELECT c.id, c.location_of_risk, c.source_of_risk, {_case_when('e.risk_outcome', 0)}, "
            f"{_case_when('e.risk_outcome', 1)}, 1, c.created_at, c.updated_at "
            "FROM cases_case c LEFT JOIN cases_enquiry e ON e.case_id = c.id ORDER BY c.id"
        )
        cursor.execute(
            "INSERT INTO cases_risktype (risk_id, abuse_type) "
            "SELECT r.id, t.abuse_type FROM cases_risk r JOIN cases_caseabusetype t ON t.case_id = r.case_id"
        )


def backwards(apps, schema_editor):
    apps.get_model("cases", "RiskType").objects.all().delete()
    apps.get_model("cases", "Risk").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_risks_and_health_condition")]

    operations = [migrations.RunPython(forwards, backwards)]
