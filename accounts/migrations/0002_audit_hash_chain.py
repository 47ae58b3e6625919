import django.utils.timezone
from django.db import migrations, models


def chain_existing_rows(apps, schema_editor):
    """Seal rows written before the chain existed, oldest first."""
    from accounts.models import legacy_audit_hash as audit_hash  # the unkeyed chain of the time

    AuditEvent = apps.get_model("accounts", "AuditEvent")
    prev = ""
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        row.prev_hash = prev
        row.hash = audit_hash(
            prev_hash=prev,
            at=row.at,
            actor_id=row.actor_id,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            case_id=row.case_id,
            fields=row.fields,
            detail=row.detail,
        )
        AuditEvent.objects.filter(pk=row.pk).update(prev_hash=row.prev_hash, hash=row.hash)
        prev = row.hash


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent", name="prev_hash", field=models.CharField(editable=False, max_length=64, null=True)
        ),
        migrations.AddField(
            model_name="auditevent", name="hash", field=models.CharField(editable=False, max_length=64, null=True)
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
