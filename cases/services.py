"""Writes on the case journey: record a concern, edit it, decide, sign off, allocate, reopen.

Every service is keyword-only and atomic, writes its audit entry and its chronology line, and
changes `Case.state` only through `workflow.transition()`. Services re-check the rules the
views already apply (role, team, own sign-off) so no caller can skip them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import access, audit
from accounts.models import Role, TeamMembership

from . import workflow
from .codes import DecisionOutcome
from .models import (
    Case,
    CaseAbuseType,
    CaseState,
    Decision,
    DecisionStatus,
    Enquiry,
    Person,
)
from .working_days import decision_due_date

PERSON_FIELDS = (
    "legal_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "ethnicity",
    "primary_support_reason",
    "communication_needs",
    "address",
    "representative_contacts",
)

CONCERN_FIELDS = (
    "received_at",
    "referrer_name",
    "referrer_agency",
    "referrer_relationship",
    "referrer_type",
    "what_happened",
    "location_of_risk",
    "source_of_risk",
    "others_at_risk_children",
    "others_at_risk_adults",
    "immediate_actions",
    "adult_aware",
    "adult_wants",
)

DECISION_FIELDS = (
    "has_care_and_support_needs",
    "care_and_support_rationale",
    "experiencing_abuse_or_neglect",
    "abuse_or_neglect_rationale",
    "cannot_protect_self",
    "protect_self_rationale",
    "outcome",
    "signposting",
)


class EditConflict(Exception):
    """Someone else saved the record after this editor loaded it; `current` is the fresh row."""

    def __init__(self, current):
        super().__init__("The record was changed by someone else.")
        self.current = current


def _lock(case):
    """Re-read the case row under a lock so two reviewers cannot both move it."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _allowed_team(actor, team):
    if actor.role == Role.LEAD:
        return True
    return TeamMembership.objects.filter(user=actor, team=team).exists()


def _abuse_codes(case):
    return set(case.abuse_types.values_list("abuse_type", flat=True))


def _set_abuse_types(case, codes):
    codes = set(codes)
    case.abuse_types.exclude(abuse_type__in=codes).delete()
    existing = _abuse_codes(case)
    CaseAbuseType.objects.bulk_create([CaseAbuseType(case=case, abuse_type=code) for code in sorted(codes - existing)])


@transaction.atomic
def record_concern(*, actor, team, concern_data, abuse_types, person=None, person_data=None):
    """Open a case for a new concern about `person` (or a new Person from `person_data`).

    The decision due date is counted in working days from the day the concern was received.
    """
    if not access.works_cases(actor) or not _allowed_team(actor, team):
        raise PermissionDenied("You can only record concerns for your own teams.")
    if not abuse_types:
        raise ValidationError("Choose at least one type of abuse or neglect.")
    if person is None:
        person = Person(**{f: v for f, v in (person_data or {}).items() if f in PERSON_FIELDS})
        person.full_clean()
        person.save()
        audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=person, fields=list(person_data))
    data = {f: v for f, v in concern_data.items() if f in CONCERN_FIELDS}
    case = Case(
        person=person,
        team=team,
        created_by=actor,
        decision_due=decision_due_date(data["received_at"]),
        # A unique placeholder until the primary key gives the real reference below.
        ref=f"new-{timezone.now().timestamp()}-{actor.pk}",
        **data,
    )
    case.save()
    case.ref = f"MSP-{case.pk:07d}"
    case.save(update_fields=["ref"])
    CaseAbuseType.objects.bulk_create([CaseAbuseType(case=case, abuse_type=code) for code in sorted(set(abuse_types))])
    referrer = ", ".join(part for part in (data.get("referrer_name"), data.get("referrer_agency")) if part)
    workflow.log_event(
        case=case,
        actor=actor,
        kind="concern",
        summary=f"Concern received{f' from {referrer}' if referrer else ''} and recorded by {actor.display_name}.",
        at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=case,
        case_id=case.pk,
        fields=[*data, "abuse_types", "person", "team"],
    )
    return case


@transaction.atomic
def update_concern(*, actor, case, expected_version, concern_data, abuse_types):
    """Change the concern details if nobody saved them since `expected_version`, else EditConflict.

    The version check and bump is one conditional UPDATE, so two editors cannot both win.
    """
    if not access.can_edit_case(actor, case):
        raise PermissionDenied("This case can no longer be changed.")
    data = {f: v for f, v in concern_data.items() if f in CONCERN_FIELDS}
    # Compare with the stored row, not `case`: a bound ModelForm has already changed it in memory.
    stored = Case.objects.get(pk=case.pk)
    before = {f: getattr(stored, f) for f in data}
    old_codes = _abuse_codes(case)
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **data
    )
    if not updated:
        raise EditConflict(Case.objects.select_related("person", "team").get(pk=case.pk))
    case.refresh_from_db()
    _set_abuse_types(case, abuse_types)
    changed = [f for f in data if before[f] != data[f]]
    if set(abuse_types) != old_codes:
        changed.append("abuse_types")
    if "received_at" in changed:
        case.decision_due = decision_due_date(case.received_at)
        case.save(update_fields=["decision_due"])
    workflow.log_event(case=case, actor=actor, kind="concern_updated", summary="Concern details updated.")
    audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=case, case_id=case.pk, fields=changed)
    return case


@transaction.atomic
def update_person(*, actor, case, expected_version, person_data):
    """Change the adult's details (reached through one of their cases) with the same version check."""
    if not access.can_edit_case(actor, case):
        raise PermissionDenied("This case can no longer be changed.")
    person = Person.objects.get(pk=case.person_id)
    data = {f: v for f, v in person_data.items() if f in PERSON_FIELDS}
    candidate = Person(pk=person.pk, **{**{f: getattr(person, f) for f in PERSON_FIELDS}, **data})
    candidate.full_clean(exclude=["legacy_ref"], validate_unique=False)
    before = {f: getattr(person, f) for f in data}
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **data
    )
    if not updated:
        raise EditConflict(Person.objects.get(pk=person.pk))
    person.refresh_from_db()
    changed = [f for f in data if before[f] != data[f]]
    workflow.log_event(case=case, actor=actor, kind="person_updated", summary="The adult's details were updated.")
    audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=person, case_id=case.pk, fields=changed)
    return person


@transaction.atomic
def propose_decision(*, actor, case, decision_data):
    """Record a proposed s42 decision and send the case for a manager's sign-off."""
    if not access.can_edit_case(actor, case):
        raise PermissionDenied("This case can no longer be changed.")
    case = _lock(case)
    data = {f: v for f, v in decision_data.items() if f in DECISION_FIELDS}
    decision = Decision(case=case, proposed_by=actor, proposed_at=timezone.now(), **data)
    decision.full_clean(exclude=["case", "proposed_by"])
    workflow.transition(
        case=case,
        to_state=CaseState.DECISION_PENDING,
        actor=actor,
        summary=f"Decision proposed by {actor.display_name}: {decision.get_outcome_display()}. Awaiting sign-off.",
    )
    decision.save()
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=decision, case_id=case.pk, fields=list(data))
    return decision


def _check_reviewer(actor, decision):
    if not access.manages(actor):
        raise PermissionDenied("Only a team manager or safeguarding lead can review a decision.")
    if decision.proposed_by_id == actor.pk:
        raise PermissionDenied("You proposed this decision, so another manager must review it.")
    if decision.status != DecisionStatus.PROPOSED:
        raise ValidationError("This decision has already been reviewed.")


@transaction.atomic
def sign_off_decision(*, actor, decision, comments=""):
    """A manager (never the proposer) signs the decision off, with any comments for the
    practitioner: an s42 or other enquiry opens, or the case ends with no further safeguarding
    action. The sign-off date is the decision date."""
    comments = (comments or "").strip()
    case = _lock(decision.case)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _check_reviewer(actor, decision)
    today = timezone.localdate()
    decision.status = DecisionStatus.SIGNED_OFF
    decision.reviewed_by = actor
    decision.reviewed_at = timezone.now()
    decision.decided_on = today
    decision.review_comments = comments
    if decision.outcome == DecisionOutcome.NO_FURTHER_ACTION:
        to_state = CaseState.NO_FURTHER_ACTION
    else:
        to_state = CaseState.ENQUIRY_OPEN
    workflow.transition(
        case=case,
        to_state=to_state,
        actor=actor,
        summary=f"Decision signed off by {actor.display_name}: {decision.get_outcome_display()}."
        + (f" Comments: {comments}" if comments else ""),
    )
    decision.save(update_fields=["status", "reviewed_by", "reviewed_at", "decided_on", "review_comments"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.STATE,
        obj=decision,
        case_id=case.pk,
        fields=["status", "reviewed_by", "decided_on", *(["review_comments"] if comments else [])],
        detail="signed off",
    )
    if to_state == CaseState.ENQUIRY_OPEN:
        enquiry = Enquiry.objects.create(case=case, kind=decision.outcome, started_on=today)
        workflow.log_event(
            case=case,
            actor=actor,
            kind="enquiry_started",
            summary=f"{enquiry.get_kind_display()} started; awaiting allocation to a lead practitioner.",
        )
        audit.record(
            actor=actor, action=audit.AuditAction.CREATE, obj=enquiry, case_id=case.pk, fields=["kind", "started_on"]
        )
    return decision


@transaction.atomic
def return_decision(*, actor, decision, comments):
    """A manager (never the proposer) returns the decision with comments; the case goes back
    to the concern stage for a new proposal."""
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError("Say why the decision is being returned.")
    case = _lock(decision.case)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _check_reviewer(actor, decision)
    decision.status = DecisionStatus.RETURNED
    decision.reviewed_by = actor
    decision.reviewed_at = timezone.now()
    decision.review_comments = comments
    workflow.transition(
        case=case,
        to_state=CaseState.CONCERN,
        actor=actor,
        summary=f"Decision returned by {actor.display_name} with comments: {comments}",
    )
    decision.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comments"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.STATE,
        obj=decision,
        case_id=case.pk,
        fields=["status", "reviewed_by", "review_comments"],
        detail="returned",
    )
    return decision


@transaction.atomic
def allocate_enquiry(*, actor, enquiry, lead_practitioner, expected_version=None):
    """A manager allocates (or re-allocates) the open enquiry to a member of the case's team.

    With `expected_version` (the enquiry version the manager's form was built from) a manager
    who chose while someone else allocated gets EditConflict with the fresh enquiry instead of
    silently overwriting: the version is read under the row lock, so of two at once one wins.
    """
    if not access.manages(actor):
        raise PermissionDenied("Only a team manager or safeguarding lead can allocate an enquiry.")
    case = _lock(enquiry.case)
    if case.state != CaseState.ENQUIRY_OPEN:
        raise workflow.IllegalTransition("Only an open enquiry can be allocated.")
    if (
        lead_practitioner.role not in access.CASE_WORKERS
        or not lead_practitioner.is_active
        or not TeamMembership.objects.filter(user=lead_practitioner, team_id=case.team_id).exists()
    ):
        raise ValidationError("The lead practitioner must be an active member of the case's team.")
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if expected_version is not None and enquiry.version != expected_version:
        raise EditConflict(Enquiry.objects.select_related("lead_practitioner").get(pk=enquiry.pk))
    previous = enquiry.lead_practitioner_id
    enquiry.lead_practitioner = lead_practitioner
    enquiry.allocated_at = timezone.now()
    enquiry.version += 1
    enquiry.save(update_fields=["lead_practitioner", "allocated_at", "version"])
    verb = "re-allocated" if previous else "allocated"
    workflow.log_event(
        case=case,
        actor=actor,
        kind="allocation",
        summary=f"Enquiry {verb} to {lead_practitioner.display_name} by {actor.display_name}.",
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=enquiry,
        case_id=case.pk,
        fields=["lead_practitioner", "allocated_at"],
    )
    return enquiry


@transaction.atomic
def reopen_case(*, actor, case, reason):
    """A manager reopens a closed case (its enquiry opens again) or a no-further-action case
    (back to the concern stage, with a fresh decision due date), giving a reason."""
    if not access.manages(actor):
        raise PermissionDenied("Only a team manager or safeguarding lead can reopen a case.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for reopening the case.")
    case = _lock(case)
    reopen_to = {CaseState.CLOSED: CaseState.ENQUIRY_OPEN, CaseState.NO_FURTHER_ACTION: CaseState.CONCERN}
    if case.state not in reopen_to:
        raise workflow.IllegalTransition("Only a closed or no-further-action case can be reopened.")
    to_state = reopen_to[case.state]
    workflow.transition(
        case=case, to_state=to_state, actor=actor, summary=f"Case reopened by {actor.display_name}: {reason}"
    )
    if to_state == CaseState.ENQUIRY_OPEN:
        # The SAC concluded date is the closure sign-off date: the next closure sets it again.
        Enquiry.objects.filter(case=case).update(concluded_on=None, version=F("version") + 1)
    else:
        case.decision_due = decision_due_date(timezone.now())
        case.save(update_fields=["decision_due"])
    return case


@transaction.atomic
def set_restriction(*, actor, case, restricted, reason="", named=()):
    """A manager of the case's team or a lead restricts a case to named users, changes who is
    named, or lifts the restriction. All of it audited and in the chronology.

    The person restricting stays named: they can already see the case, so keeping them opens
    nothing new (and they cannot remove themselves). Naming anyone else is a grant that opens
    case data: direct from a lead, otherwise pending until a lead other than the requester
    approves it (accounts.services.grant_decide). Removing a name is immediate.
    """
    from accounts import services as account_services
    from accounts.models import GrantOutcome

    from . import selectors
    from .models import CaseAccessGrant, RestrictionReason

    if not access.manages(actor) or not _allowed_team(actor, case.team):
        raise PermissionDenied("Only a manager of the case's team or a safeguarding lead can restrict a case.")
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("Only someone who can see the case can change who may see it.")
    case = _lock(case)
    named = {user for user in named if user.pk != actor.pk}
    allowed = set(selectors.restriction_candidates(case=case).values_list("pk", flat=True))
    if not {user.pk for user in named} <= allowed:
        raise ValidationError("Name only case workers of the case's team or safeguarding leads.")
    pending_qs = selectors.case_pending_names(case=case).select_for_update(of=("self",))
    pending = {grant.user_id: grant for grant in pending_qs}

    def withdraw(grant):
        grant.outcome, grant.decided_by, grant.decided_at = GrantOutcome.WITHDRAWN, actor, timezone.now()
        grant.save(update_fields=["outcome", "decided_by", "decided_at"])
        audit.record(actor=actor, action=audit.AuditAction.STATE, obj=grant, case_id=case.pk, fields=["outcome"],
                     detail=f"withdrawn: user {grant.user_id} named on the restricted case",
                     changes={"outcome": [GrantOutcome.PENDING.value, GrantOutcome.WITHDRAWN.value]})  # fmt: skip

    def unname(grant):
        audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=grant, case_id=case.pk, fields=["user"],
                     detail=f"user {grant.user_id} no longer named on the restricted case",
                     changes={"named_on_case": [True, False]})  # fmt: skip
        grant.delete()

    if not restricted:
        if not case.restricted:
            return case
        case.restricted, case.restricted_reason = False, ""
        case.save(update_fields=["restricted", "restricted_reason"])
        for grant in case.access_grants.all():
            unname(grant)
        for grant in pending.values():
            withdraw(grant)
        audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=case, case_id=case.pk,
                     fields=["restricted", "restricted_reason"], detail="restriction lifted")  # fmt: skip
        workflow.log_event(case=case, actor=actor, kind="restriction",
                           summary=f"Restriction lifted by {actor.display_name}")  # fmt: skip
        return case

    if reason not in RestrictionReason.values:
        raise ValidationError("Choose why the case is restricted.")
    label = RestrictionReason(reason).label
    if not case.restricted or case.restricted_reason != reason:
        fields = ["restricted_reason"] if case.restricted else ["restricted", "restricted_reason"]
        newly = not case.restricted
        case.restricted, case.restricted_reason = True, reason
        case.save(update_fields=["restricted", "restricted_reason"])
        audit.record(actor=actor, action=audit.AuditAction.UPDATE, obj=case, case_id=case.pk, fields=fields,
                     detail=f"restricted: {reason}")  # fmt: skip
        workflow.log_event(case=case, actor=actor, kind="restriction",
                           summary=f"Case restricted by {actor.display_name}: {label}")  # fmt: skip
        if newly:  # the one self-naming allowed: it keeps access the actor has now
            account_services.case_grant_add(case=case, user=actor, granted_by=actor)

    current = {grant.user_id: grant for grant in CaseAccessGrant.objects.filter(case=case).exclude(user=actor)}
    wanted = {user.pk: user for user in named}
    for user_id, grant in current.items():
        if user_id not in wanted:
            unname(grant)
    for user_id, grant in pending.items():
        if user_id not in wanted:
            withdraw(grant)
    for user_id, user in wanted.items():
        if user_id in current or user_id in pending:
            continue
        if access.is_lead(actor):
            account_services.case_grant_add(case=case, user=user, granted_by=actor)
        else:
            account_services.grant_request_create(
                user=user, requested_by=actor, case=case, reason=f"Restricted case: {label}"
            )
    return case
