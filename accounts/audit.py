"""The one way to write to the audit log.

Every service that creates, changes or reads case data calls `record()`. Only field names
are stored, never values, so the audit log itself holds no sensitive content.

The one exception is `changes`, and it is for staff-account facts only: the old and the new
value of a user's role, teams, active status, grants or 2FA state, e.g.
`{"role": ["practitioner", "lead"], "teams": [["North Team"], ["North Team", "South Team"]]}`.
Never put anything about an adult (a name, a case's contents, a free-text note) in it, and
never a secret (a password, a token). Values are JSON strings, integers, booleans, null or
lists of those; the row's hash seals them with the rest of the row.
"""

from .models import AuditAction, AuditEvent


def _object_type(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(*, actor, action, obj=None, object_type="", case_id=None, fields=(), detail="", changes=None):
    """Append one audit event; `obj` (a model instance) fills the type and id when given.

    `changes` maps a staff-account field to `[old, new]` (see the module docstring).
    """
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
        changes=dict(changes or {}),
    )


def changed_fields(form):
    """Names of the fields a bound ModelForm changed (for the audit `fields` column)."""
    return list(form.changed_data)


__all__ = ["AuditAction", "changed_fields", "record"]


def queries_per_record():
    """Queries one `record()` costs: on PostgreSQL two (read the chain head; then the append
    function takes the chain lock, checks the head and inserts the row sealed in Python);
    elsewhere savepoint, chain head, insert, release. A writer that lost a race for the head
    retries (see `AuditEvent._append_postgresql`), which a single-threaded test never does.

    Query-count tests add this to a page's own queries, so the chain's cost is stated once.
    """
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 4
