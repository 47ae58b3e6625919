import datetime

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Mark the runs of earlier requests that were for ended standard periods."""
    from reporting import periods
    from reporting.aggregation import Period

    ReportRun = apps.get_model("reporting", "ReportRun")
    for run in ReportRun.objects.only("pk", "period_start", "period_end", "requested_at").iterator():
        period = Period(run.period_start, run.period_end)
        requested = run.requested_at.date() if run.requested_at else datetime.date.today()
        kind = periods.kind(period)
        if kind and periods.is_complete(period, requested):
            ReportRun.objects.filter(pk=run.pk).update(period_kind=kind)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_report_run")]

    operations = [
        migrations.AddField(
            model_name="reportrun",
            name="period_kind",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
