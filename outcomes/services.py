"""Writes of MSP records: keyword-only, atomic, each with an audit entry and a chronology line.

The chronology line says what kind of record was added (never the person's words: those stay
in the record itself); the audit entry lists the field names written, never their values.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from cases import risks as risk_services
from cases.models import CaseState, Enquiry
from cases.workflow import day, log_correction, log_event, transition

from . import sac
from .models import (
    ActionStatus,
    Advocacy,
    CapacityAssessment,
    ClosureReview,
    ClosureStatus,
    Conversation,
    DeclinedSupport,
    DesiredOutcome,
    DesiredOutcomeRevision,
    NegotiatedOutcome,
    OutcomeReview,
    PlanAction,
    Principle,
    PrincipleCheck,
    RecordRevision,
    SummaryDocument,
    SummaryStatus,
)

CONFLICT_MESSAGE = (
    "Someone else changed this outcome while you were editing it. Check its history below, then save again."
)


def _record_write(*, actor, obj, case, fields, created, kind, summary):
    log_event(case=case, actor=actor, kind=f"outcomes:{kind}", summary=summary)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
        obj=obj,
        case_id=case.pk,
        fields=fields,
    )


def _assign(record, *, data, fields):
    """Write `data` (only the names in `fields`) onto `record`, new or as stored, and check it;
    returns the names written: every one given for a new record, those that changed otherwise."""
    values = {name: data[name] for name in fields if name in data}
    created = record.pk is None
    changed = [name for name, value in values.items() if created or getattr(record, name) != value]
    for name, value in values.items():
        setattr(record, name, value)
    # The form checked these already; a caller without a form is checked by the model's own rules.
    record.full_clean(exclude=[f.name for f in record._meta.fields if f.name not in values], validate_unique=False)
    return changed


def _create(model, *, case, actor, data, fields, kind, summary, **extra):
    """Create one MSP record on `case` from `data` (only the names in `fields`), recorded by
    `actor`, with its chronology line (`summary(record)`) and an audit entry naming the fields."""
    record = model(case=case, **extra)
    if hasattr(record, "recorded_by_id"):
        record.recorded_by = actor
    written = _assign(record, data=data, fields=fields)
    return _save(record, case=case, actor=actor, written=written, created=True, kind=kind, summary=summary(record))


def _save(record, *, case, actor, written, created, kind, summary):
    """Save an MSP record with its chronology line and an audit entry naming the fields `written`."""
    record.save()
    _record_write(actor=actor, obj=record, case=case, fields=written, created=created, kind=kind, summary=summary)
    return record


#: The fields each MSP record form writes (its form's fields; the services write only these).
CONVERSATION_FIELDS = (
    "held_on",
    "mode",
    "with_adult",
    "with_advocate",
    "with_representative",
    "with_family",
    "with_agencies",
    "agencies",
    "spoken_to_alone",
    "not_alone_reason",
    "what_matters",
    "outcomes_discussion",
    "options_explained",
    "persons_decision",
    "next_steps",
    "next_contact_on",
)
DESIRED_OUTCOME_FIELDS = ("words", "expressed_by", "expressed_on")
NEGOTIATED_OUTCOME_FIELDS = ("words", "for_the_person", "reason", "reason_detail", "explained_to_adult", "explained_on")
CAPACITY_ASSESSMENT_FIELDS = ("decision", "about_the_enquiry", "outcome", "assessed_on", "assessor", "best_interests")
ADVOCACY_FIELDS = ("kind", "advocate", "from_date", "notes")
DECLINED_SUPPORT_FIELDS = (
    "declined_on",
    "what_was_declined",
    "what_was_explained",
    "override_reason",
    "override_detail",
    "follow_up_on",
    "for_the_person",
)
PLAN_ACTION_FIELDS = ("action", "responsible", "due_on", "for_the_person")
CLOSURE_REVIEW_FIELDS = (
    "review_held",
    "no_review_reason",
    "no_review_detail",
    "asked_dont_know_reason",
)


def _conversation_summary(conversation):
    alone = "spoken to alone" if conversation.spoken_to_alone else "not alone"
    return f"Conversation recorded ({conversation.get_mode_display().lower()}, {day(conversation.held_on)}; {alone})."


@transaction.atomic
def conversation_record(*, case, actor, conversation_data):
    """Record a conversation with the adult (`conversation_data`: the CONVERSATION_FIELDS)."""
    return _create(
        Conversation,
        case=case,
        actor=actor,
        data=conversation_data,
        fields=CONVERSATION_FIELDS,
        kind="conversation",
        summary=_conversation_summary,
    )


@transaction.atomic
def desired_outcome_save(*, case, actor, outcome_data, outcome=None, change_reason=""):
    """Record a desired outcome, or change `outcome` (as loaded: a change made against an older
    version than the one stored is refused as a conflict); every wording is kept as a revision."""
    if outcome is None:
        outcome = _create(
            DesiredOutcome,
            case=case,
            actor=actor,
            data=outcome_data,
            fields=DESIRED_OUTCOME_FIELDS,
            kind="desired_outcome",
            summary=lambda _outcome: "Desired outcome recorded.",
        )
    else:
        loaded_version = outcome.version
        outcome = DesiredOutcome.objects.select_for_update().get(pk=outcome.pk)
        changed = _assign(outcome, data=outcome_data, fields=DESIRED_OUTCOME_FIELDS)
        changed += ["change_reason"] if change_reason else []
        if not changed:
            return outcome
        if outcome.version != loaded_version:
            # Committed by someone else after this change was loaded: the same answer as the form's.
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        outcome.version += 1
        summary = f"Desired outcome changed (version {outcome.version})."
        _save(outcome, case=case, actor=actor, written=changed, created=False, kind="desired_outcome", summary=summary)
    DesiredOutcomeRevision.objects.create(
        outcome=outcome,
        version=outcome.version,
        words=outcome.words,
        expressed_by=outcome.expressed_by,
        expressed_on=outcome.expressed_on,
        change_reason=change_reason,
        changed_by=actor,
    )
    return outcome


@transaction.atomic
def negotiated_outcome_save(*, desired_outcome, actor, negotiated_data):
    """Record (or change) the negotiated version of a desired outcome and why."""
    case = desired_outcome.case
    negotiated = NegotiatedOutcome.objects.filter(desired_outcome=desired_outcome).first()
    created = negotiated is None
    if created:
        negotiated = NegotiatedOutcome(case=case, desired_outcome=desired_outcome, recorded_by=actor)
    written = _assign(negotiated, data=negotiated_data, fields=NEGOTIATED_OUTCOME_FIELDS)
    return _save(
        negotiated,
        case=case,
        actor=actor,
        written=written,
        created=created,
        kind="negotiated_outcome",
        summary=f"Negotiated outcome recorded ({negotiated.get_reason_display().lower()}).",
    )


CAPACITY_ANSWERS = ("lacked_capacity", "advocacy")


@transaction.atomic
def capacity_answers_refresh(*, case, actor):
    """Re-derive the enquiry's capacity and advocacy SAC answers from its records, so a changed
    capacity assessment or advocacy record shows at once; a concluded enquiry is never changed
    (its answers were fixed at closure sign-off, which derives every answer again)."""
    enquiry = Enquiry.objects.select_for_update().filter(case=case, concluded_on__isnull=True).first()
    if enquiry is None:
        return None
    answers = sac.derive_sac_answers(sac.facts_for_case(case)).as_fields()
    changed = [name for name in CAPACITY_ANSWERS if getattr(enquiry, name) != answers[name]]
    if changed:
        Enquiry.objects.filter(pk=enquiry.pk).update(**{name: answers[name] for name in changed})
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            obj=enquiry,
            case_id=case.pk,
            fields=changed,
            detail="SAC answers re-derived from the MSP records",
        )
    return changed


@transaction.atomic
def capacity_assessment_record(*, case, actor, assessment_data):
    """Record a mental capacity assessment for one decision; the enquiry's answers follow."""
    assessment = _create(
        CapacityAssessment,
        case=case,
        actor=actor,
        data=assessment_data,
        fields=CAPACITY_ASSESSMENT_FIELDS,
        kind="capacity",
        summary=lambda record: f"Capacity assessment recorded: {record.get_outcome_display().lower()}.",
    )
    capacity_answers_refresh(case=case, actor=actor)
    return assessment


@transaction.atomic
def advocacy_record(*, case, actor, advocacy_data):
    """Record who supported the adult as an advocate (or that nobody did, or it was declined)."""
    advocacy = _create(
        Advocacy,
        case=case,
        actor=actor,
        data=advocacy_data,
        fields=ADVOCACY_FIELDS,
        kind="advocacy",
        summary=lambda record: f"Advocacy recorded: {record.get_kind_display().lower()}.",
    )
    capacity_answers_refresh(case=case, actor=actor)
    return advocacy


@transaction.atomic
def declined_support_record(*, case, actor, declined_data):
    """Record declined support with its open-door follow-up date."""
    return _create(
        DeclinedSupport,
        case=case,
        actor=actor,
        data=declined_data,
        fields=DECLINED_SUPPORT_FIELDS,
        kind="declined_support",
        summary=lambda record: f"Declined support recorded; open-door follow-up due {day(record.follow_up_on)}.",
    )


@transaction.atomic
def followup_mark_done(*, declined, actor):
    """Mark an open-door follow-up done so it leaves the work queues."""
    if declined.follow_up_done_at is not None:
        return declined
    declined.follow_up_done_at = timezone.now()
    declined.follow_up_done_by = actor
    declined.save(update_fields=["follow_up_done_at", "follow_up_done_by"])
    _record_write(
        actor=actor,
        obj=declined,
        case=declined.case,
        fields=["follow_up_done_at", "follow_up_done_by"],
        created=False,
        kind="followup_done",
        summary="Open-door follow-up done.",
    )
    return declined


@transaction.atomic
def plan_action_add(*, case, actor, action_data):
    """Add an action to the protection plan."""
    return _create(
        PlanAction,
        case=case,
        actor=actor,
        data=action_data,
        fields=PLAN_ACTION_FIELDS,
        kind="plan_action",
        summary=lambda record: f"Protection plan action added, due {day(record.due_on)}.",
    )


@transaction.atomic
def plan_action_set_status(*, action, actor, status):
    """Mark a protection plan action open, done or cancelled."""
    status = ActionStatus(status)
    if action.status == status:
        return action
    action.status = status
    action.status_changed_at = timezone.now()
    action.save(update_fields=["status", "status_changed_at"])
    _record_write(
        actor=actor,
        obj=action,
        case=action.case,
        fields=["status"],
        created=False,
        kind="plan_action",
        summary=f"Protection plan action marked {status.label.lower()}.",
    )
    return action


@transaction.atomic
def principle_evidence_save(*, case, actor, evidence):
    """Save the practitioner's evidence for the six principles (`evidence`: {principle: text})."""
    now = timezone.now()
    changed = []
    existing = {c.principle: c for c in PrincipleCheck.objects.select_for_update().filter(case=case)}
    for principle in Principle:
        text = (evidence.get(principle.value) or "").strip()
        check = existing.get(principle.value)
        if check is None:
            if not text:
                continue
            check = PrincipleCheck(case=case, principle=principle.value)
        elif check.evidence == text:
            continue
        check.evidence = text
        check.evidenced_by = actor
        check.evidenced_at = now
        check.save()
        changed.append(principle.value)
    if changed:
        log_event(
            case=case,
            actor=actor,
            kind="outcomes:principles",
            summary=f"Six-principle evidence recorded ({', '.join(Principle(p).label for p in changed)}).",
        )
        audit.record(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            object_type="outcomes.principlecheck",
            case_id=case.pk,
            fields=[f"evidence:{p}" for p in changed],
        )
    return changed


@transaction.atomic
def closure_review_save(*, case, actor, review_data, outcome_views, risk_outcomes=None):
    """Save the closure review with the adult (`review_data`: the CLOSURE_REVIEW_FIELDS), each
    outcome's achievement (`outcome_views`: {desired outcome id: (adult view, practitioner view)})
    and each risk's assessment outcome and result (`risk_outcomes`: {"ceased": bool, "outcomes":
    {risk id: (assessment, result)}}, see `cases.risks.set_outcomes`, which refuses inconsistent
    answers)."""
    changed_risks = []
    if risk_outcomes is not None:
        changed_risks = risk_services.set_outcomes(actor=actor, case=case, **risk_outcomes)
    review = ClosureReview.objects.filter(case=case).first()
    created = review is None
    if created:
        review = ClosureReview(case=case, recorded_by=actor)
    changed = _assign(review, data=review_data, fields=CLOSURE_REVIEW_FIELDS)
    review.save()
    for outcome in DesiredOutcome.objects.filter(case=case, pk__in=list(outcome_views)):
        adult, practitioner = outcome_views[outcome.pk]
        OutcomeReview.objects.update_or_create(
            desired_outcome=outcome,
            defaults={"case": case, "adult_view": adult or "", "practitioner_view": practitioner or ""},
        )
    _record_write(
        actor=actor,
        obj=review,
        case=case,
        fields=changed + (["outcome_reviews"] if outcome_views else []) + (["risks"] if changed_risks else []),
        created=created,
        kind="closure_review",
        summary="Closure review with the adult recorded.",
    )
    return review


def closure_problems(case):
    """What stops this case being sent for closure (an empty list when nothing does)."""
    problems = []
    evidenced = set(PrincipleCheck.objects.filter(case=case).exclude(evidence="").values_list("principle", flat=True))
    missing = [p.label for p in Principle if p.value not in evidenced]
    if missing:
        problems.append(f"Record evidence for every one of the six principles (missing: {', '.join(missing)}).")
    review = ClosureReview.objects.filter(case=case).first()
    if review is None:
        problems.append("Record the closure review with the adult (or why no review was possible).")
    else:
        unreviewed = DesiredOutcome.objects.filter(case=case).exclude(review__practitioner_view__gt="").count()
        if unreviewed:
            problems.append(f"Record whether each desired outcome was achieved ({unreviewed} not yet reviewed).")
        problems.extend(risk_services.outcome_problems(case))
    return problems


@transaction.atomic
def send_for_closure(*, case, actor):
    """Send the enquiry for a manager's closure sign-off: refused without six-principle evidence."""
    case = type(case).objects.select_for_update().get(pk=case.pk)
    problems = closure_problems(case)
    if problems:
        raise ValidationError(problems)
    review = ClosureReview.objects.select_for_update().get(case=case)
    transition(case=case, to_state=CaseState.CLOSURE_PENDING, actor=actor, summary="Sent for closure sign-off.")
    review.status = ClosureStatus.SENT
    review.sent_by = actor
    review.sent_at = timezone.now()
    review.save(update_fields=["status", "sent_by", "sent_at", "updated_at"])
    audit.record(actor=actor, action=audit.AuditAction.STATE, obj=review, case_id=case.pk, fields=["status", "sent_by"])
    return review


def _review_principles(*, case, manager, ratings, now):
    checks = {c.principle: c for c in PrincipleCheck.objects.select_for_update().filter(case=case)}
    for principle, (rating, comment) in ratings.items():
        check = checks.get(principle)
        if check is None:
            continue
        check.rating = rating
        check.manager_comment = comment
        check.reviewed_by = manager
        check.reviewed_at = now
        check.save(update_fields=["rating", "manager_comment", "reviewed_by", "reviewed_at"])


def _pending_review(case, manager):
    review = ClosureReview.objects.select_for_update().filter(case=case).first()
    if case.state != CaseState.CLOSURE_PENDING or review is None or review.status != ClosureStatus.SENT:
        raise ValidationError("This case is not awaiting closure sign-off.")
    if review.sent_by_id == manager.pk:
        raise PermissionDenied("You sent this case for closure, so another manager must sign it off.")
    return review


@transaction.atomic
def sign_off_closure(*, case, manager, ratings, comments=""):
    """A manager (not the one who sent it) signs the closure off: the case closes, the enquiry is
    concluded today and its SAC answers are derived from the MSP records and stored."""
    case = type(case).objects.select_for_update().get(pk=case.pk)
    review = _pending_review(case, manager)
    now = timezone.now()
    _review_principles(case=case, manager=manager, ratings=ratings, now=now)
    review.status = ClosureStatus.SIGNED_OFF
    review.signed_off_by = manager
    review.signed_off_at = now
    comments = (comments or "").strip()
    review.manager_comments = comments
    review.save(update_fields=["status", "signed_off_by", "signed_off_at", "manager_comments", "updated_at"])
    enquiry = Enquiry.objects.select_for_update().get(case=case)
    answers = sac.derive_sac_answers(sac.facts_for_case(case))
    for name, value in answers.as_fields().items():
        setattr(enquiry, name, value)
    enquiry.concluded_on = timezone.localdate(now)
    enquiry.version += 1
    enquiry.save()
    transition(
        case=case,
        to_state=CaseState.CLOSED,
        actor=manager,
        summary="Closure signed off; enquiry concluded." + (f" Comments: {comments}" if comments else ""),
    )
    audit.record(
        actor=manager,
        action=audit.AuditAction.UPDATE,
        obj=enquiry,
        case_id=case.pk,
        fields=["concluded_on", *answers.as_fields()],
        detail="SAC answers derived at closure sign-off",
    )
    audit.record(
        actor=manager,
        action=audit.AuditAction.STATE,
        obj=review,
        case_id=case.pk,
        fields=["status", "signed_off_by", "manager_comments", "principle_ratings"],
    )
    return enquiry


@transaction.atomic
def return_closure(*, case, manager, ratings, comments):
    """A manager returns the closure to the practitioner with comments: the enquiry reopens."""
    if not comments.strip():
        raise ValidationError("Say what needs to change before the case can close.")
    case = type(case).objects.select_for_update().get(pk=case.pk)
    review = _pending_review(case, manager)
    now = timezone.now()
    _review_principles(case=case, manager=manager, ratings=ratings, now=now)
    review.status = ClosureStatus.RETURNED
    review.manager_comments = comments
    review.save(update_fields=["status", "manager_comments", "updated_at"])
    transition(case=case, to_state=CaseState.ENQUIRY_OPEN, actor=manager, summary="Closure returned with comments.")
    audit.record(
        actor=manager,
        action=audit.AuditAction.STATE,
        obj=review,
        case_id=case.pk,
        fields=["status", "manager_comments", "principle_ratings"],
    )
    return review


CORRECTION_CONFLICT = (
    "Someone else corrected this record while you were changing it. Check its history below, then save again."
)

#: What each correctable record is called in the chronology and the refusal messages.
CORRECTABLE_LABELS = {
    "conversation": "Conversation",
    "capacityassessment": "Capacity assessment",
    "advocacy": "Advocacy record",
    "declinedsupport": "Declined support record",
    "planaction": "Protection plan action",
}

#: The fields a correction of each correctable record may change (those it was recorded with).
CORRECTABLE_FIELDS = {
    "conversation": CONVERSATION_FIELDS,
    "capacityassessment": CAPACITY_ASSESSMENT_FIELDS,
    "advocacy": ADVOCACY_FIELDS,
    "declinedsupport": DECLINED_SUPPORT_FIELDS,
    "planaction": PLAN_ACTION_FIELDS,
}


def _snapshot(record, fields):
    return {name: getattr(record, name) for name in fields}


def _keep_version(record, content_type, data, *, changed_by_id, at=None, change_reason=""):
    """Keep `data` as the record's version now (`at`: when it was saved, if not now)."""
    RecordRevision.objects.create(
        content_type=content_type,
        object_id=record.pk,
        case_id=record.case_id,
        version=record.version,
        data=data,
        change_reason=change_reason,
        changed_by_id=changed_by_id,
        changed_at=at or timezone.now(),
    )


@transaction.atomic
def record_correct(*, record, actor, expected_version, record_data, change_reason=""):
    """Correct a saved MSP record (`record_data`: its CORRECTABLE_FIELDS, as corrected), made
    against `expected_version` of it.

    Refused with a "conflict" if someone corrected it since that version. The first
    correction also keeps version 1 as it was first saved (by its author, when recorded), so
    the history shows every version. The audit entry names the fields changed, never values.

    A corrected capacity assessment or advocacy record re-derives the open enquiry's capacity
    and advocacy SAC answers at once (`capacity_answers_refresh`), as recording one does;
    closure sign-off derives every answer again.
    """
    model = type(record)
    content_type = ContentType.objects.get_for_model(model)
    fields = CORRECTABLE_FIELDS[content_type.model]
    current = model.objects.select_for_update().get(pk=record.pk)
    first_saved = _snapshot(current, fields)
    changed = _assign(current, data=record_data, fields=fields)
    if not changed:
        return record
    if current.version != expected_version:
        raise ValidationError(CORRECTION_CONFLICT, code="conflict")
    if current.version == 1 and not current.revisions.exists():
        _keep_version(current, content_type, first_saved, changed_by_id=current.recorded_by_id, at=current.recorded_at)
    current.version += 1
    current.save()
    current.case = record.case
    record = current
    _keep_version(record, content_type, _snapshot(record, fields), changed_by_id=actor.pk, change_reason=change_reason)
    label = CORRECTABLE_LABELS[content_type.model]
    log_correction(
        case=record.case,
        actor=actor,
        record=record,
        kind=f"outcomes:{content_type.model}_corrected",
        summary=f"{label} corrected",
        fields=changed,
    )
    if content_type.model in ("capacityassessment", "advocacy"):
        capacity_answers_refresh(case=record.case, actor=actor)
    return record


@transaction.atomic
def summary_request(*, case, actor, easy_read=False):
    """Ask for a "What you told us" PDF for the adult (in the easy-read layout if asked); a
    Celery task renders it after commit."""
    from msp.celery import send_after_commit

    from .tasks import render_summary

    summary = SummaryDocument.objects.create(case=case, requested_by=actor, easy_read=easy_read)
    log_event(
        case=case,
        actor=actor,
        kind="outcomes:summary",
        summary='"What you told us" summary requested' + (" (easy read)." if easy_read else "."),
    )
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=summary, case_id=case.pk, fields=["status"])

    def not_queued():
        # Failed at once, so the page never shows a summary that will not come.
        SummaryDocument.objects.filter(pk=summary.pk, status=SummaryStatus.QUEUED).update(
            status=SummaryStatus.FAILED, error="not queued", finished_at=timezone.now()
        )
        summary.refresh_from_db(fields=["status", "error", "finished_at"])

    send_after_commit(render_summary, summary.pk, on_failure=not_queued)
    return summary


def summary_downloaded(*, summary, actor):
    """Audit a download of a summary PDF."""
    audit.record(actor=actor, action=audit.AuditAction.DOWNLOAD, obj=summary, case_id=summary.case_id, fields=["file"])
