"""Rendering the PDFs of a case: the adult's "What you told us" summary (the Celery task
`render_summary`) and the staff case summary (`render_case_summary`).

The web side asks for one (`services.summary_request`, `case_summary.request_case_summary`,
which queue the task); a worker renders it here. Kept out of those modules so that the task
does not import back the module that queues it.
"""

import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import audit
from cases.models import Case, CaseEvent, Decision, Risk
from documents import selectors as document_selectors
from reporting.pdf import html_to_pdf

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
    SummaryDocument,
    SummaryStatus,
)
from .selectors import summary_context
from .signals import summary_rendering


def _render_document(model, pk, *, html_of, file_name, detail):
    """Render one queued PDF document (`model`: SummaryDocument or CaseSummaryDocument) into
    default storage, with `html_of(document)` as its HTML. Safe to run twice: a finished one is
    left alone; a failure marks it failed (with the error's type only) and is raised again."""
    with transaction.atomic():
        document = model.objects.select_for_update().select_related("case").filter(pk=pk).first()
        if document is None or document.status == SummaryStatus.DONE:
            return document
        document.status = SummaryStatus.RUNNING
        document.save(update_fields=["status"])
    try:
        started = time.perf_counter()
        pdf = html_to_pdf(html_of(document), accessible=True)
        elapsed_ms = int((time.perf_counter() - started) * 1000)
    except Exception as exc:
        model.objects.filter(pk=pk).update(
            status=SummaryStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        document = model.objects.select_for_update().get(pk=pk)
        if document.status == SummaryStatus.DONE:
            return document
        old_name = document.file.name
        document.file.save(file_name(document), ContentFile(pdf), save=False)
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
            detail=detail,
        )
    return document


def summary_render(*, summary_id):
    """Render one "What you told us" summary PDF (the easy-read layout where it was asked for)."""

    def html_of(summary):
        template = "outcomes/summary_easy_read_pdf.html" if summary.easy_read else "outcomes/summary_pdf.html"
        context = summary_context(case=summary.case)
        for _receiver, extra in summary_rendering.send(sender=SummaryDocument, case=summary.case, summary=summary):
            context.update(extra or {})
        return render_to_string(template, context)

    return _render_document(
        SummaryDocument,
        summary_id,
        html_of=html_of,
        file_name=lambda summary: f"summary-{summary.pk}.pdf",
        detail="summary PDF rendered",
    )


CASE_SUMMARY_TEMPLATE = "outcomes/case_summary_pdf.html"


def render_case_summary(*, document_id):
    """Render one staff case summary PDF: the whole record of its case."""

    def html_of(document):
        return render_to_string(
            CASE_SUMMARY_TEMPLATE, {**case_summary_context(case_id=document.case_id), "document": document}
        )

    return _render_document(
        CaseSummaryDocument,
        document_id,
        html_of=html_of,
        file_name=lambda document: f"case-summary-{document.pk}.pdf",
        detail="staff case summary PDF rendered",
    )


def case_summary_context(*, case_id):
    """Everything the staff case summary shows: the adult, the concern and its risks, every
    decision, the enquiry, the MSP record, the closure and its sign-off, the documents list, the
    notes and contacts, and the chronology."""
    case = (
        Case.objects.select_related(
            "person", "team", "created_by", "enquiry__lead_practitioner", "closure_review__signed_off_by"
        )
        .prefetch_related(
            Prefetch("risks", queryset=Risk.objects.select_related("provider").prefetch_related("types")),
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
        "case_documents": document_selectors.case_documents(case=case),
        "case_contacts": document_selectors.case_contacts(case=case),
        "today": timezone.localdate(),
    }
