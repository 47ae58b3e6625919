"""A closure review not yet signed off may hold version 1's one `risk_outcome`, chosen before
each risk had its own: give it to the case's risks that have none yet, by the interchange
version 1 mapping (interchange.md, section 1b), so nothing chosen is lost when the column goes.
(A signed-off enquiry's outcome was already moved by cases 0010.)"""

from django.db import migrations

from cases.codes import V1_RISK_OUTCOME


def forwards(apps, schema_editor):
    ClosureReview = apps.get_model("outcomes", "ClosureReview")
    Risk = apps.get_model("cases", "Risk")
    for old, (assessment, result) in V1_RISK_OUTCOME.items():
        cases = ClosureReview.objects.filter(risk_outcome=old).values("case_id")
        Risk.objects.filter(case_id__in=cases, assessment="").update(assessment=assessment, result=result)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0006_v1_risk_columns_optional"),
        ("cases", "0012_risk_revisions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
