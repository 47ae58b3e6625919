"""Writes of the managers' workspace: allocating or re-allocating many enquiries at once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import access, audit
from cases import workflow
from cases.access import case_scope, lead_teams, may_change_imported, may_lead_enquiries
from cases.models import Case, CaseState, Enquiry


class ReallocationConflict(Exception):
    """Someone changed one of the chosen enquiries after the page was loaded."""

    def __init__(self, refs):
        super().__init__("Some of the chosen enquiries were changed by someone else.")
        self.refs = refs


@transaction.atomic
def reallocate(*, actor, case_ids, to_user, reason, expected_versions=None):
    """Allocate (or re-allocate) the open enquiries of `case_ids` to `to_user`, all or none.

    The reason is case content: it goes in each case's chronology; the audit entry names the
    fields only. A case outside the actor's scope, not open, or in a team `to_user` is not a
    member of refuses the whole move. `expected_versions` ({case_id: enquiry version}) guards
    against someone else having changed an enquiry since the page was loaded.
    """
    if not access.manages(actor):
        raise PermissionDenied("Only a team manager or safeguarding lead can allocate enquiries.")
    reason = (reason or "").strip()
    case_ids = sorted({int(pk) for pk in case_ids})
    if not case_ids:
        raise ValidationError("Choose at least one case.")
    if not may_lead_enquiries(to_user):
        raise ValidationError(
            "Cases can only be allocated to an active practitioner, team manager or safeguarding lead."
        )
    cases = list(
        Case.objects.filter(case_scope(actor)).filter(pk__in=case_ids).select_for_update(of=("self",)).order_by("pk")
    )
    if len(cases) != len(case_ids):
        raise ValidationError("Some of the chosen cases cannot be found.")
    enquiries = {e.case_id: e for e in Enquiry.objects.select_for_update().filter(case_id__in=case_ids)}
    problems = []
    for case in cases:
        if case.state != CaseState.ENQUIRY_OPEN or case.pk not in enquiries:
            problems.append(f"{case.ref} has no open enquiry.")
        elif not may_change_imported(actor, case):
            problems.append(f"{case.ref} was imported: only a safeguarding lead can change it.")
    member_of = lead_teams(to_user)
    outside = [case.ref for case in cases if case.team_id not in member_of]
    if outside:
        problems.append(f"{to_user.display_name} is not a member of the team of {', '.join(outside)}.")
    if problems:
        raise ValidationError(problems)
    if expected_versions is not None:
        changed = [
            case.ref for case in cases if str(enquiries[case.pk].version) != str(expected_versions.get(case.pk, ""))
        ]
        if changed:
            raise ReallocationConflict(changed)
    moving = [case for case in cases if enquiries[case.pk].lead_practitioner_id != to_user.pk]
    if any(enquiries[case.pk].lead_practitioner_id for case in moving) and not reason:
        raise ValidationError("Give the reason for moving cases from one practitioner to another.")
    now = timezone.now()
    for case in moving:
        enquiry = enquiries[case.pk]
        verb = "re-allocated" if enquiry.lead_practitioner_id else "allocated"
        Enquiry.objects.filter(pk=enquiry.pk).update(
            lead_practitioner=to_user, allocated_at=now, version=F("version") + 1
        )
        summary = f"Enquiry {verb} to {to_user.display_name} by {actor.display_name}."
        workflow.log_event(
            case=case, actor=actor, kind="allocation", summary=f"{summary} Reason: {reason}" if reason else summary
        )
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=enquiry,
            case_id=case.pk,
            fields=["lead_practitioner", "allocated_at"] + (["reason"] if reason else []),
            detail=verb,
        )
    return moving
