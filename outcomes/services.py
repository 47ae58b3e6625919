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
from cases.workflow import day, log_event, transition

from . import sac
from .models import (
    ActionStatus,
    ClosureReview,
    ClosureStatus,
    DesiredOutcome,
    DesiredOutcomeRevision,
    OutcomeReview,
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


def _save_form(*, form, case, actor, kind, summary, **extra):
    created = form.instance.pk is None
    obj = form.save(commit=False)
    obj.case = case
    if created and hasattr(obj, "recorded_by_id"):
        obj.recorded_by = actor
    for name, value in extra.items():
        setattr(obj, name, value)
    obj.save()
    fields = list(form.changed_data) if not created else [f for f in form.fields if f in form.cleaned_data]
    _record_write(actor=actor, obj=obj, case=case, fields=fields, created=created, kind=kind, summary=summary)
    return obj


@transaction.atomic
def conversation_record(*, case, actor, form):
    """Record a conversation with the adult from a validated ConversationForm."""
    conversation = form.instance
    return _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="conversation",
        summary=f"Conversation recorded ({conversation.get_mode_display().lower()}, "
        f"{day(conversation.held_on)}; {'spoken to alone' if conversation.spoken_to_alone else 'not alone'}).",
    )


@transaction.atomic
def desired_outcome_save(*, case, actor, form, change_reason=""):
    """Create or change a desired outcome; every wording is kept as a revision (history)."""
    creating = form.instance.pk is None
    outcome = form.instance
    if not creating:
        if not form.changed_data:
            return outcome
        current = DesiredOutcome.objects.select_for_update().values_list("version", flat=True).get(pk=outcome.pk)
        if current != outcome.version:
            # Committed by someone else after this form was checked: the same answer as the form's.
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        outcome.version += 1
    outcome = _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="desired_outcome",
        summary="Desired outcome recorded." if creating else f"Desired outcome changed (version {outcome.version}).",
    )
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
def negotiated_outcome_save(*, desired_outcome, actor, form):
    """Record (or change) the negotiated version of a desired outcome and why."""
    case = desired_outcome.case
    return _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="negotiated_outcome",
        summary=f"Negotiated outcome recorded ({form.instance.get_reason_display().lower()}).",
        desired_outcome=desired_outcome,
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
def capacity_assessment_record(*, case, actor, form):
    """Record a mental capacity assessment for one decision; the enquiry's answers follow."""
    assessment = _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="capacity",
        summary=f"Capacity assessment recorded: {form.instance.get_outcome_display().lower()}.",
    )
    capacity_answers_refresh(case=case, actor=actor)
    return assessment


@transaction.atomic
def advocacy_record(*, case, actor, form):
    """Record who supported the adult as an advocate (or that nobody did, or it was declined)."""
    advocacy = _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="advocacy",
        summary=f"Advocacy recorded: {form.instance.get_kind_display().lower()}.",
    )
    capacity_answers_refresh(case=case, actor=actor)
    return advocacy


@transaction.atomic
def declined_support_record(*, case, actor, form):
    """Record declined support with its open-door follow-up date."""
    return _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="declined_support",
        summary=f"Declined support recorded; open-door follow-up due {day(form.instance.follow_up_on)}.",
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
def plan_action_add(*, case, actor, form):
    """Add an action to the protection plan."""
    return _save_form(
        form=form,
        case=case,
        actor=actor,
        kind="plan_action",
        summary=f"Protection plan action added, due {day(form.instance.due_on)}.",
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
def closure_review_save(*, case, actor, form, outcome_views, risk_outcomes=None):
    """Save the closure review with the adult, each outcome's achievement (`outcome_views`:
    {desired outcome id: (adult view, practitioner view)}) and each risk's assessment outcome and
    result (`risk_outcomes`: {"ceased": bool, "outcomes": {risk id: (assessment, result)}}, see
    `cases.risks.set_outcomes`, which refuses inconsistent answers)."""
    changed_risks = []
    if risk_outcomes is not None:
        changed_risks = risk_services.set_outcomes(actor=actor, case=case, **risk_outcomes)
    review = form.save(commit=False)
    created = review.pk is None
    review.case = case
    if created:
        review.recorded_by = actor
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
        fields=[name for name in form.changed_data if name in form._meta.fields]
        + (["outcome_reviews"] if outcome_views else [])
        + (["risks"] if changed_risks else []),
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


def correction_refusal(*, user, case, record):
    """Why `user` may not correct `record` on the in-scope `case` ("" when they may).

    A record is corrected by its author or a manager (of the case's team: an in-scope manager,
    or a lead), only while the enquiry is open; a closed or pending enquiry is a state rule,
    not a permission, so the reason says so.
    """
    from accounts import access

    if case.state == CaseState.CLOSURE_PENDING:
        return "Records can be corrected while the enquiry is open. This one has been sent for closure sign-off."
    if case.state != CaseState.ENQUIRY_OPEN:
        return "Records can be corrected while the enquiry is open. This enquiry is not open."
    if not access.can_edit_case(user, case):  # in scope and open: only an imported case is left
        return "This case was imported from the old system, so only a safeguarding lead can change it."
    if record.recorded_by_id == user.pk or access.manages(user):
        return ""
    return "Only the person who recorded this, or a manager, can correct it."


def _snapshot(record, fields):
    return {name: getattr(record, name) for name in fields}


@transaction.atomic
def record_correct(*, record, actor, form):
    """Correct a saved MSP record from a validated correction form (`forms.CorrectionFields`).

    Refused with a "conflict" if someone corrected it since the form was loaded. The first
    correction also keeps version 1 as it was first saved (by its author, when recorded), so
    the history shows every version. The audit entry names the fields changed, never values.

    A corrected capacity assessment or advocacy record re-derives the open enquiry's capacity
    and advocacy SAC answers at once (`capacity_answers_refresh`), as recording one does;
    closure sign-off derives every answer again.
    """
    changed = form.corrected_fields
    if not changed:
        return record
    model = type(record)
    current = model.objects.select_for_update().get(pk=record.pk)
    if current.version != form.cleaned_data.get("version"):
        raise ValidationError(CORRECTION_CONFLICT, code="conflict")
    fields = list(form._meta.fields)
    content_type = ContentType.objects.get_for_model(model)
    if current.version == 1 and not current.revisions.exists():
        RecordRevision.objects.create(
            content_type=content_type,
            object_id=current.pk,
            case_id=current.case_id,
            version=1,
            data=_snapshot(current, fields),
            changed_by_id=current.recorded_by_id,
            changed_at=current.recorded_at,
        )
    record = form.save(commit=False)
    record.version = current.version + 1
    record.save()
    RecordRevision.objects.create(
        content_type=content_type,
        object_id=record.pk,
        case_id=record.case_id,
        version=record.version,
        data=_snapshot(record, fields),
        change_reason=form.cleaned_data.get("change_reason", ""),
        changed_by=actor,
    )
    label = CORRECTABLE_LABELS[content_type.model]
    log_event(
        case=record.case,
        actor=actor,
        kind=f"outcomes:{content_type.model}_corrected",
        summary=f"{label} corrected (version {record.version}).",
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=record,
        case_id=record.case_id,
        fields=changed,
        detail=f"corrected to version {record.version}",
    )
    if content_type.model in ("capacityassessment", "advocacy"):
        capacity_answers_refresh(case=record.case, actor=actor)
    return record


@transaction.atomic
def summary_request(*, case, actor):
    """Ask for a "What you told us" PDF for the adult; a Celery task renders it after commit."""
    from msp.celery import send_after_commit

    from .tasks import render_summary

    summary = SummaryDocument.objects.create(case=case, requested_by=actor)
    log_event(case=case, actor=actor, kind="outcomes:summary", summary='"What you told us" summary requested.')
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=summary, case_id=case.pk, fields=["status"])

    def not_queued():
        # Failed at once, so the page never shows a summary that will not come.
        SummaryDocument.objects.filter(pk=summary.pk, status=SummaryStatus.QUEUED).update(
            status=SummaryStatus.FAILED, error="not queued", finished_at=timezone.now()
        )
        summary.refresh_from_db(fields=["status", "error", "finished_at"])

    send_after_commit(render_summary, summary.pk, on_failure=not_queued)
    return summary


def summary_render(*, summary_id):
    """Render one summary PDF into default storage. Safe to run twice: a finished one is left alone."""
    import time

    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from reporting.pdf import html_to_pdf

    from .selectors import summary_context

    with transaction.atomic():
        summary = SummaryDocument.objects.select_for_update().select_related("case").filter(pk=summary_id).first()
        if summary is None or summary.status == SummaryStatus.DONE:
            return summary
        summary.status = SummaryStatus.RUNNING
        summary.save(update_fields=["status"])
    try:
        started = time.perf_counter()
        html = render_to_string("outcomes/summary_pdf.html", summary_context(case=summary.case))
        pdf = html_to_pdf(html, accessible=True)
        elapsed_ms = int((time.perf_counter() - started) * 1000)
    except Exception as exc:
        SummaryDocument.objects.filter(pk=summary_id).update(
            status=SummaryStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        summary = SummaryDocument.objects.select_for_update().get(pk=summary_id)
        if summary.status == SummaryStatus.DONE:
            return summary
        old_name = summary.file.name
        summary.file.save(f"summary-{summary.pk}.pdf", ContentFile(pdf), save=False)
        summary.status = SummaryStatus.DONE
        summary.finished_at = timezone.now()
        summary.render_ms = elapsed_ms
        summary.error = ""
        summary.save(update_fields=["file", "status", "finished_at", "render_ms", "error"])
        if old_name and old_name != summary.file.name:
            summary.file.storage.delete(old_name)
        audit.record(
            actor=None,
            action=audit.AuditAction.EXPORT,
            obj=summary,
            case_id=summary.case_id,
            fields=["file"],
            detail="summary PDF rendered",
        )
    return summary


def summary_downloaded(*, summary, actor):
    """Audit a download of a summary PDF."""
    audit.record(actor=actor, action=audit.AuditAction.DOWNLOAD, obj=summary, case_id=summary.case_id, fields=["file"])
