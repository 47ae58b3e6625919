"""The one way to write to the audit log.

Every service that creates, changes or reads case data calls `record()`. Only field names
are stored, never values, so the audit log itself holds no sensitive content.
"""

from .models import AuditAction, AuditEvent


def _object_type(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(*, actor, action, obj=None, object_type="", case_id=None, fields=(), detail=""):
    """Append one audit event; `obj` (a model instance) fills the type and id when given."""
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = str(obj.pk)
    else:
        object_id = ""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        fields=sorted(fields),
        detail=detail[:200],
    )


def changed_fields(form):
    """Names of the fields a bound ModelForm changed (for the audit `fields` column)."""
    return list(form.changed_data)


__all__ = ["AuditAction", "changed_fields", "record"]


def queries_per_record():
    """Queries one `record()` costs: on PostgreSQL one (the append function takes the chain
    lock, reads the head and inserts); elsewhere savepoint, chain head, insert, release.

    Query-count tests add this to a page's own queries, so the chain's cost is stated once.
    """
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 4
