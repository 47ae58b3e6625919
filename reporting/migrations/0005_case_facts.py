"""Each case's facts for the SAB aggregation, already joined, kept by PostgreSQL triggers
(reporting/facts.py). The migration fills every case's row, then installs the triggers."""

import django.db.models.deletion
from django.db import migrations, models

import reporting.models
from reporting import facts


def install(apps, schema_editor):
    facts.install(schema_editor)


def uninstall(apps, schema_editor):
    facts.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_team_contact_details'),
        ('cases', '0019_risk_case_facts'),
        ('reporting', '0004_risk_covering_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseFacts',
            fields=[
                ('case', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='cases.case')),
                ('received_at', models.DateTimeField()),
                ('adult_date_of_birth', models.DateField(null=True)),
                ('adult_gender', models.CharField(max_length=10, null=True)),
                ('adult_ethnicity', models.CharField(max_length=10, null=True)),
                ('adult_primary_support_reason', models.CharField(max_length=20, null=True)),
                ('adult_health_condition', models.CharField(max_length=10, null=True)),
                ('enquiry_kind', models.CharField(max_length=20, null=True)),
                ('started_on', models.DateField(null=True)),
                ('concluded_on', models.DateField(null=True)),
                ('risk_cells', reporting.models.CellsField(null=True)),
                ('person', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person')),
                ('team', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.team')),
            ],
            options={
                'indexes': [models.Index(fields=['received_at'], include=('team', 'person', 'adult_date_of_birth', 'adult_gender', 'adult_ethnicity', 'adult_primary_support_reason', 'adult_health_condition'), name='facts_received_sg1'), models.Index(condition=models.Q(('started_on__isnull', False)), fields=['started_on'], include=('case', 'enquiry_kind', 'team', 'person', 'adult_date_of_birth', 'adult_gender', 'adult_ethnicity', 'adult_primary_support_reason', 'adult_health_condition'), name='facts_started_sg1'), models.Index(condition=models.Q(('concluded_on__isnull', False), ('enquiry_kind', 's42')), fields=['concluded_on'], include=('team', 'risk_cells'), name='facts_concluded_sg2')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
