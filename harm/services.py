"""Writes of people alleged to have caused harm: keyword-only and atomic, each audited (field
names only, never a name or a detail). Naming a person on a risk, or taking them off it, adds a
line in fixed words to the case chronology (which the adult's subject access export shows), so
no chronology line carries the person's name."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import audit
from cases.access import can_edit_case
from cases.workflow import log_event

from .models import PersonAlleged, ReferralOutcome, RiskPerson, TrustReferral

PERSON_FIELDS = ("name", "date_of_birth", "care_needs", "position_of_trust", "employer", "provider")
REFERRAL_FIELDS = ("employer", "referred_on", "outcome", "outcome_on", "outcome_notes", "case")
OUTCOME_FIELDS = ("outcome", "outcome_on", "outcome_notes")
ALREADY_NAMED = "That person is already named on this risk."
CONFLICT = (
    "Someone else recorded an outcome for this referral while you were changing it. Check it below, then save again."
)


class RemovalReason:
    CHOICES = (
        ("error", "Named in error"),
        ("wrong_risk", "Named on the wrong risk"),
        ("duplicate", "Named twice"),
    )
    LABELS = dict(CHOICES)


def _record(actor, action, obj, *, fields=(), case_id=None, detail=""):
    audit.record(actor=actor, action=action, obj=obj, case_id=case_id, fields=list(fields), detail=detail)


def _may_change(actor, case):
    if not can_edit_case(actor, case):
        raise PermissionDenied("This case can no longer be changed.")


@transaction.atomic
def name_on_risk(*, actor, case, risk, relationship, person=None, person_data=None, risk_number=None):
    """Name a person on one of the case's risks: an existing record (`person`, already named on
    this case) or a new one (`person_data`). Returns the link."""
    _may_change(actor, case)
    if risk.case_id != case.pk:
        raise ValidationError("Choose one of this case's risks.")
    if person is None:
        values = {f: person_data.get(f) or _blank(f) for f in PERSON_FIELDS}
        person = PersonAlleged.objects.create(created_by=actor, **values)
        _record(actor, audit.AuditAction.CREATE, person, fields=PERSON_FIELDS, case_id=case.pk)
    elif not RiskPerson.objects.filter(case=case, person=person).exists():
        raise ValidationError("Choose a person already named on this case, or record a new one.")
    if RiskPerson.objects.filter(risk=risk, person=person).exists():
        raise ValidationError(ALREADY_NAMED)
    link = RiskPerson.objects.create(risk=risk, case=case, person=person, relationship=relationship, added_by=actor)
    _record(actor, audit.AuditAction.CREATE, link, fields=["risk", "person", "relationship"], case_id=case.pk)
    log_event(
        case=case,
        actor=actor,
        kind="harm:named",
        summary=f"A person alleged to have caused harm was named on risk {risk_number or ''}".rstrip()
        + f" ({link.get_relationship_display().lower()}).",
    )
    return link


def _blank(field):
    return None if field in ("date_of_birth", "provider") else ""


@transaction.atomic
def remove_from_risk(*, actor, link, reason, risk_number=None):
    """Take a person off a risk (named in error); their record stays for the other risks and cases."""
    _may_change(actor, link.case)
    label = RemovalReason.LABELS[reason]
    _record(actor, audit.AuditAction.UPDATE, link, fields=["removed"], case_id=link.case_id, detail=reason)
    log_event(
        case=link.case,
        actor=actor,
        kind="harm:removed",
        summary=f"A person alleged to have caused harm was taken off risk {risk_number or ''}".rstrip()
        + f": {label.lower()}.",
    )
    link.delete()


@transaction.atomic
def update_person(*, actor, person, data):
    changed = [f for f in PERSON_FIELDS if getattr(person, f) != data.get(f)]
    for field in changed:
        setattr(person, field, data.get(field) if data.get(field) is not None else _blank(field))
    if changed:
        person.save()
        _record(actor, audit.AuditAction.UPDATE, person, fields=changed)
    return changed


@transaction.atomic
def merge(*, actor, keep, other):
    """`other` is the same person as `keep`: its links and referrals move to `keep`, and the
    record is kept, pointing at `keep`. A link that would name `keep` twice on one risk goes."""
    if keep.pk == other.pk:
        raise ValidationError("Choose a different record: a record cannot be merged with itself.")
    keep, other = (PersonAlleged.objects.select_for_update().get(pk=p.pk) for p in (keep, other))
    if keep.merged_into_id or other.merged_into_id:
        raise ValidationError("One of these records has already been merged. Start again from the register.")
    on_keep = set(RiskPerson.objects.filter(person=keep).values_list("risk_id", flat=True))
    RiskPerson.objects.filter(person=other, risk_id__in=on_keep).delete()
    moved = RiskPerson.objects.filter(person=other).update(person=keep)
    TrustReferral.objects.filter(person=other).update(person=keep)
    PersonAlleged.objects.filter(merged_into=other).update(merged_into=keep)
    other.merged_into = keep
    other.save(update_fields=["merged_into", "updated_at"])
    _record(actor, audit.AuditAction.UPDATE, other, fields=["merged_into"], detail=f"merged into {keep.pk}")
    _record(actor, audit.AuditAction.UPDATE, keep, fields=["risk_links"], detail=f"merged {other.pk}")
    return moved


@transaction.atomic
def add_referral(*, actor, person, data):
    values = {f: data.get(f) for f in REFERRAL_FIELDS}
    referral = TrustReferral.objects.create(person=person, recorded_by=actor, **values)
    _record(actor, audit.AuditAction.CREATE, referral, fields=REFERRAL_FIELDS, case_id=referral.case_id)
    return referral


@transaction.atomic
def record_outcome(*, actor, referral, expected_version, data):
    """The employer's outcome, checked against the version the lead read."""
    locked = TrustReferral.objects.select_for_update().get(pk=referral.pk)
    if locked.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    changed = [f for f in OUTCOME_FIELDS if getattr(locked, f) != data.get(f)]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, data.get(field))
    if locked.outcome == ReferralOutcome.AWAITING:
        locked.outcome_on = None
    locked.version += 1
    locked.save()
    _record(actor, audit.AuditAction.UPDATE, locked, fields=changed, case_id=locked.case_id)
    return locked
