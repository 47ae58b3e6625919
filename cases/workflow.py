"""The case state machine: the only code that changes `Case.state`.

Services call `transition()`; it refuses any move not in TRANSITIONS, bumps the version,
writes the chronology line and the audit entry, all in the caller's transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit

from .models import CaseEvent, CaseState

S = CaseState

TRANSITIONS = {
    S.CONCERN: {S.DECISION_PENDING},
    S.DECISION_PENDING: {S.CONCERN, S.ENQUIRY_OPEN, S.NO_FURTHER_ACTION},  # returned / signed off
    S.ENQUIRY_OPEN: {S.CLOSURE_PENDING},
    S.CLOSURE_PENDING: {S.ENQUIRY_OPEN, S.CLOSED},  # returned / signed off
    S.CLOSED: {S.ENQUIRY_OPEN},  # reopened by a manager
    S.NO_FURTHER_ACTION: {S.CONCERN},  # reopened by a manager
}


def day(value):
    """A date as every page and the chronology write it: "5 Jan 2026" (the templates' "j M Y")."""
    return f"{value.day} {value:%b %Y}"


class IllegalTransition(ValidationError):
    pass


def can_transition(case, to_state):
    return to_state in TRANSITIONS.get(case.state, set())


def transition(*, case, to_state, actor, summary):
    """Move a case to `to_state` or raise IllegalTransition; logs chronology and audit."""
    if not can_transition(case, to_state):
        raise IllegalTransition(
            f"A case that is '{CaseState(case.state).label}' cannot move to '{CaseState(to_state).label}'."
        )
    with transaction.atomic():
        from_state = case.state
        case.state = to_state
        case.version += 1
        if to_state == S.CLOSED:
            case.closed_at = timezone.now()
        elif from_state == S.CLOSED:
            case.closed_at = None
        case.save(update_fields=["state", "version", "closed_at", "updated_at"])
        log_event(case=case, actor=actor, kind=f"state:{to_state}", summary=summary)
        audit.record(
            actor=actor,
            action=audit.AuditAction.STATE,
            obj=case,
            case_id=case.pk,
            fields=["state"],
            detail=f"{from_state}->{to_state}",
        )
    return case


def log_event(*, case, actor, kind, summary, at=None):
    """Add one line to the case chronology."""
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, summary=summary, at=at or timezone.now())


def log_correction(*, case, actor, record, kind, summary, fields):
    """A saved record corrected: its chronology line and its audit entry, both naming the
    version it became (`record.version`, already saved); the line is `summary` then "(version N)"."""
    log_event(case=case, actor=actor, kind=kind, summary=f"{summary} (version {record.version}).")
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=record,
        case_id=case.pk,
        fields=fields,
        detail=f"corrected to version {record.version}",
    )
