"""Version 1's risk columns go once every reader uses the risks (cases 0010 moved their values)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_team_contact_details"),
        ("cases", "0012_risk_revisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_report_columns",
        ),
        migrations.RemoveIndex(
            model_name="enquiry",
            name="enquiry_concluded_answers",
        ),
        migrations.RemoveField(
            model_name="case",
            name="location_of_risk",
        ),
        migrations.RemoveField(
            model_name="case",
            name="source_of_risk",
        ),
        migrations.RemoveField(
            model_name="enquiry",
            name="risk_outcome",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["id"], include=("person", "team"), name="case_report_columns"),
        ),
        migrations.AddIndex(
            model_name="enquiry",
            index=models.Index(
                fields=["concluded_on", "kind"],
                include=("case", "asked_desired_outcomes", "outcomes_achieved", "lacked_capacity", "advocacy"),
                name="enquiry_concluded_answers",
            ),
        ),
        migrations.DeleteModel(
            name="CaseAbuseType",
        ),
    ]
