"""The staff case summary: the whole record of one case as a PDF, for a case conference or a
court bundle.

Requested by anyone who may see the case (the access policy's case scope: team, restricted
cases for their named users, never SAB members or system administrators), rendered by a
Celery task that is given the document's id only, stored in default storage, and downloaded
through the same scope. The request, the rendering and every download are audited.
"""

import time

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts import audit
from accounts.access import case_scope
from cases.models import Case, CaseEvent, Decision, Risk
from cases.workflow import log_event

from .models import (
    Advocacy,
    CapacityAssessment,
    CaseSummaryDocument,
    Conversation,
    DeclinedSupport,
    DesiredOutcome,
    PlanAction,
    Principle,
    PrincipleCheck,
    SummaryStatus,
)

TEMPLATE = "outcomes/case_summary_pdf.html"
LATEST = 5


@transaction.atomic
def request_case_summary(*, case, actor):
    """Ask for a staff case summary PDF of `case` (already fetched through the access policy);
    a Celery task renders it once this transaction commits."""
    from msp.celery import send_after_commit

    from .tasks import render_case_summary

    document = CaseSummaryDocument.objects.create(case=case, requested_by=actor)
    log_event(case=case, actor=actor, kind="outcomes:case_summary", summary="Staff case summary (PDF) requested.")
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=document,
        case_id=case.pk,
        fields=["status"],
        detail="staff case summary requested",
    )

    def not_queued():
        CaseSummaryDocument.objects.filter(pk=document.pk, status=SummaryStatus.QUEUED).update(
            status=SummaryStatus.FAILED, error="not queued", finished_at=timezone.now()
        )
        document.refresh_from_db(fields=["status", "error", "finished_at"])

    send_after_commit(render_case_summary, document.pk, on_failure=not_queued)
    return document


def render_case_summary(*, document_id):
    """Render one staff case summary into default storage. Safe to run twice: a finished one
    is left alone."""
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from reporting.pdf import html_to_pdf

    with transaction.atomic():
        document = CaseSummaryDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == SummaryStatus.DONE:
            return document
        document.status = SummaryStatus.RUNNING
        document.save(update_fields=["status"])
    try:
        started = time.perf_counter()
        context = case_summary_context(case_id=document.case_id)
        context["document"] = document
        html = render_to_string(TEMPLATE, context)
        pdf = html_to_pdf(html, accessible=True)
        elapsed_ms = int((time.perf_counter() - started) * 1000)
    except Exception as exc:
        CaseSummaryDocument.objects.filter(pk=document_id).update(
            status=SummaryStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        document = CaseSummaryDocument.objects.select_for_update().get(pk=document_id)
        if document.status == SummaryStatus.DONE:
            return document
        old_name = document.file.name
        document.file.save(f"case-summary-{document.pk}.pdf", ContentFile(pdf), save=False)
        document.status = SummaryStatus.DONE
        document.finished_at = timezone.now()
        document.render_ms = elapsed_ms
        document.error = ""
        document.save(update_fields=["file", "status", "finished_at", "render_ms", "error"])
        if old_name and old_name != document.file.name:
            document.file.storage.delete(old_name)
        audit.record(
            actor=None,
            action=audit.AuditAction.EXPORT,
            obj=document,
            case_id=document.case_id,
            fields=["file"],
            detail="staff case summary PDF rendered",
        )
    return document


def case_summary_downloaded(*, document, actor):
    """Audit one download of a staff case summary."""
    audit.record(
        actor=actor,
        action=audit.AuditAction.DOWNLOAD,
        obj=document,
        case_id=document.case_id,
        fields=["file"],
        detail="staff case summary downloaded",
    )


def case_summary_for_user(user, pk):
    """A staff case summary whose case is in the user's scope (404 otherwise)."""
    in_scope = CaseSummaryDocument.objects.filter(case_scope(user, prefix="case__"))
    document = in_scope.select_related("case").filter(pk=pk).first()
    if document is None:
        raise Http404("No such case summary.")
    return document


def latest_case_summaries(*, case):
    """The latest staff case summaries of a case (already fetched through the access policy)."""
    return list(CaseSummaryDocument.objects.filter(case=case).select_related("requested_by")[:LATEST])


def case_summary_context(*, case_id):
    """Everything the staff case summary shows: the adult, the concern and its risks, every
    decision, the enquiry, the MSP record, the closure and its sign-off, and the chronology."""
    case = (
        Case.objects.select_related(
            "person", "team", "created_by", "enquiry__lead_practitioner", "closure_review__signed_off_by"
        )
        .prefetch_related(
            "abuse_types",
            Prefetch("risks", queryset=Risk.objects.prefetch_related("types")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("proposed_by", "reviewed_by").order_by("proposed_at", "id"),
            ),
        )
        .get(pk=case_id)
    )
    checks = {c.principle: c for c in PrincipleCheck.objects.filter(case=case).select_related("reviewed_by")}
    return {
        "case": case,
        "person": case.person,
        "decisions": list(case.decisions.all()),
        "enquiry": getattr(case, "enquiry", None),
        "closure_review": getattr(case, "closure_review", None),
        "conversations": list(
            Conversation.objects.filter(case=case).select_related("recorded_by").order_by("held_on", "id")
        ),
        "desired_outcomes": list(
            DesiredOutcome.objects.filter(case=case).select_related("negotiated", "review").order_by("id")
        ),
        "capacity_assessments": list(CapacityAssessment.objects.filter(case=case).order_by("assessed_on", "id")),
        "advocacy_records": list(Advocacy.objects.filter(case=case).order_by("from_date", "id")),
        "declined_support": list(
            DeclinedSupport.objects.filter(case=case).select_related("follow_up_done_by").order_by("declined_on", "id")
        ),
        "plan_actions": list(PlanAction.objects.filter(case=case).order_by("due_on", "id")),
        "principles": [{"principle": p, "check": checks.get(p.value)} for p in Principle],
        "events": list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")),
        "today": timezone.localdate(),
    }
