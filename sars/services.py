"""Writes of the Safeguarding Adults Reviews register: keyword-only, atomic, audited.

Audit entries name the review, the person or the recommendation by id and the fields changed,
never a person's name. Linking a person to a case is recorded against that case too (its
`case_id`), so the case's access log shows the review that refers to it.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit

from .models import Recommendation, SafeguardingAdultsReview, SarPerson

REVIEW_FIELDS = (
    "referred_on",
    "criteria",
    "decision",
    "decided_on",
    "reviewer",
    "scoping_on",
    "panel_on",
    "report_drafted_on",
    "report_published_on",
    "concluded_on",
)


class EditConflict(Exception):
    """Someone else saved the review after this editor loaded it; `current` is the fresh row."""

    def __init__(self, current):
        super().__init__("The review was changed by someone else.")
        self.current = current


@transaction.atomic
def create_review(*, actor, data):
    """Record a referral for a Safeguarding Adults Review."""
    review = SafeguardingAdultsReview.objects.create(
        created_by=actor, **{field: data[field] for field in REVIEW_FIELDS if field in data}
    )
    audit.record(
        actor=actor, action=audit.AuditAction.CREATE, obj=review, fields=[f for f in REVIEW_FIELDS if f in data]
    )
    return review


@transaction.atomic
def update_review(*, actor, review, expected_version, data):
    """Change a review if nobody saved it since `expected_version`, else EditConflict (one
    conditional UPDATE, so of two editors at once only one wins)."""
    stored = SafeguardingAdultsReview.objects.get(pk=review.pk)
    values = {field: data[field] for field in REVIEW_FIELDS if field in data}
    changed = [field for field, value in values.items() if getattr(stored, field) != value]
    updated = SafeguardingAdultsReview.objects.filter(pk=review.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not updated:
        raise EditConflict(SafeguardingAdultsReview.objects.get(pk=review.pk))
    review.refresh_from_db()
    audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=review, fields=changed)
    return review


def _audit_link(*, actor, person, review):
    if person.case_id is not None:
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=person,
            case_id=person.case_id,
            fields=["case"],
            detail=f"Linked to {review.label}",
        )


@transaction.atomic
def add_person(*, actor, review, name, harm, case=None):
    """Add a person the review is about; `case` (already checked against the actor's case scope
    by the caller, `selectors.visible_case`) links them to their case record."""
    person = SarPerson.objects.create(review=review, name=name, harm=harm, case=case, added_by=actor)
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=person, fields=["name", "harm"])
    _audit_link(actor=actor, person=person, review=review)
    return person


@transaction.atomic
def update_person(*, actor, person, name, harm, case=None, keep_case=False):
    """Change a person's details; `keep_case` leaves an existing link the actor cannot see as it is."""
    before = (person.name, person.harm, person.case_id)
    person.name, person.harm = name, harm
    if not keep_case:
        person.case = case
    person.save(update_fields=["name", "harm", "case"])
    changed = [
        f
        for f, old, new in zip(("name", "harm", "case"), before, (name, harm, person.case_id), strict=True)
        if old != new
    ]
    audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=person, fields=changed)
    if "case" in changed:
        _audit_link(actor=actor, person=person, review=person.review)
    return person


@transaction.atomic
def add_recommendation(*, actor, review, data):
    """Add a finding and its recommendation, with its owner and status."""
    fields = ("finding", "text", "owner", "status", "completed_on")
    recommendation = Recommendation.objects.create(review=review, added_by=actor, **{f: data[f] for f in fields})
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=recommendation, fields=fields)
    return recommendation


@transaction.atomic
def update_recommendation(*, actor, recommendation, data):
    """Change a recommendation: its wording, owner, or progress towards completion."""
    fields = ("finding", "text", "owner", "status", "completed_on")
    # Compare with the stored row: a bound ModelForm has already changed `recommendation` in memory.
    stored = Recommendation.objects.get(pk=recommendation.pk)
    changed = [f for f in fields if getattr(stored, f) != data[f]]
    for field in fields:
        setattr(recommendation, field, data[field])
    recommendation.save()
    action = audit.AuditAction.STATE if "status" in changed else audit.AuditAction.UPDATE
    audit.record(actor=actor, action=action, obj=recommendation, fields=changed)
    return recommendation
