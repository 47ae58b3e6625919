"""Writes of practice quality: drawing and keeping an audit sample, and saving the ratings of
one drawn case. Keyword-only and atomic, each with an audit entry naming fields, never values.

The sample itself is drawn by `selectors.draw_sample()`, from the cases the auditor may open.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.access import team_scope
from outcomes.models import PracticeAudit, PracticeAuditCase, PracticeAuditRating, PracticeAuditStatus, Principle

from .selectors import draw_sample, teams_in_scope


@transaction.atomic
def create_practice_audit(*, actor, team, start, end, size, seed=None):
    """Draw the sample and keep it. Refuses an empty sample (nothing closed in scope)."""
    if team is None and team_scope(actor):
        raise ValidationError("Choose one of your teams.")
    if team is not None and not teams_in_scope(actor).filter(pk=team.pk).exists():
        raise PermissionDenied("You can only audit your own teams' cases.")
    seed = seed if seed is not None else secrets.randbelow(2**31)
    case_ids = draw_sample(actor, team=team, start=start, end=end, size=size, seed=seed)
    if not case_ids:
        raise ValidationError(
            "No closed cases in that period and team can be audited. Choose a longer period or another team."
        )
    audit_row = PracticeAudit.objects.create(
        team=team, period_start=start, period_end=end, sample_size=size, seed=seed, created_by=actor
    )
    PracticeAuditCase.objects.bulk_create(
        [PracticeAuditCase(audit=audit_row, case_id=case_id, order=n) for n, case_id in enumerate(case_ids, 1)]
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=audit_row,
        fields=["team", "period_start", "period_end", "sample_size", "seed", "cases"],
        detail=f"practice audit sample of {len(case_ids)}",
    )
    return audit_row


@transaction.atomic
def save_case_ratings(*, actor, audit_case, ratings):
    """Store the six ratings of one drawn case (`{principle: (rating, comment)}`); audited by
    field names only. Marks the audit complete when every drawn case is rated."""
    # One rater at a time per drawn case: lock its row before reading the ratings.
    audit_case = PracticeAuditCase.objects.select_for_update().select_related("audit").get(pk=audit_case.pk)
    existing = {r.principle: r for r in PracticeAuditRating.objects.filter(audit_case=audit_case)}
    changed = []
    for principle in Principle:
        rating, comment = ratings[principle.value]
        row = existing.get(principle.value)
        if row is None:
            PracticeAuditRating.objects.create(
                audit_case=audit_case, principle=principle.value, rating=rating, comment=comment
            )
            changed += (
                [f"{principle.value}.rating", f"{principle.value}.comment"]
                if comment
                else [f"{principle.value}.rating"]
            )
            continue
        if row.rating != rating:
            changed.append(f"{principle.value}.rating")
        if row.comment != comment:
            changed.append(f"{principle.value}.comment")
        if row.rating != rating or row.comment != comment:
            row.rating, row.comment = rating, comment
            row.save(update_fields=["rating", "comment"])
    first_time = audit_case.rated_at is None
    audit_case.rated_by, audit_case.rated_at = actor, timezone.now()
    audit_case.save(update_fields=["rated_by", "rated_at"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE if first_time else audit.AuditAction.UPDATE,
        obj=audit_case,
        case_id=audit_case.case_id,
        fields=changed,
        detail="practice audit ratings",
    )
    audit_row = audit_case.audit
    unrated = PracticeAuditCase.objects.filter(audit=audit_row, rated_at__isnull=True).exists()
    status = PracticeAuditStatus.IN_PROGRESS if unrated else PracticeAuditStatus.COMPLETE
    if status != audit_row.status:
        audit_row.status = status
        audit_row.completed_at = None if unrated else timezone.now()
        audit_row.save(update_fields=["status", "completed_at"])
    return changed
