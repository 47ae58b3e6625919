"""A risk keeps copies of its case's received date, team, restriction and state, kept by
database triggers, for the provider pattern page's covering index (cases/risk_facts.py)."""

import django.db.models.deletion
from django.db import migrations, models

from cases import risk_facts


def install(apps, schema_editor):
    risk_facts.install(schema_editor)


def uninstall(apps, schema_editor):
    risk_facts.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_team_contact_details"),
        ("cases", "0018_enquiry_concluded_case_index"),
        ("partnership", "0003_meeting_without_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="risk",
            name="case_received_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="risk",
            name="case_restricted",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="risk",
            name="case_state",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="risk",
            name="case_team",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.team",
            ),
        ),
        # Fill every risk's copies, then keep them by triggers (cases/risk_facts.py).
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="risk",
            index=models.Index(
                condition=models.Q(("provider__isnull", False)),
                fields=["case_received_at"],
                include=("provider", "case", "case_team", "case_restricted", "case_state"),
                name="risk_provider_period",
            ),
        ),
    ]
