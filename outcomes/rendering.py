"""Rendering a "What you told us" summary PDF: the work of the Celery task `render_summary`.

The web side asks for a summary (`services.summary_request`, which queues the task); a worker
renders it here. Kept out of `services` so that the task does not import back the module that
queues it.
"""

import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import audit
from reporting.pdf import html_to_pdf

from .models import SummaryDocument, SummaryStatus
from .selectors import summary_context


def summary_render(*, summary_id):
    """Render one summary PDF into default storage. Safe to run twice: a finished one is left alone."""
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
