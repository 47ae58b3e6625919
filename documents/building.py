"""Building a subject access export on the worker, and marking one failed: what the Celery task
runs (apart from `services`, which queues the task, so that no module imports itself back)."""

import logging
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit
from reporting.models import ReportStatus

from .models import SubjectAccessExport

logger = logging.getLogger(__name__)


def run_subject_access(*, export_id):
    """Build one export's PDF (called by the Celery task; safe to deliver more than once: a
    finished export is skipped, and only the latest claim may mark it done)."""
    from reporting.pdf import html_to_pdf

    from .subject_access import render_html

    token = uuid.uuid4()
    claimed = SubjectAccessExport.objects.filter(
        pk=export_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).update(status=ReportStatus.RUNNING, claim_token=token, attempts=F("attempts") + 1, started_at=timezone.now())
    if not claimed:
        return "skipped"
    export = SubjectAccessExport.objects.select_related("person", "requested_by").get(pk=export_id)
    started = time.perf_counter()
    try:
        pdf = html_to_pdf(render_html(export), accessible=True)
    except Exception as error:
        logger.exception("subject access export %s failed", export_id)
        fail_subject_access(
            export_id=export_id, reason=f"An unexpected error stopped the export ({type(error).__name__})."
        )
        return "failed"
    name = default_storage.save(f"subject-access/{uuid.uuid4()}.pdf", ContentFile(pdf))
    with transaction.atomic():
        finished = SubjectAccessExport.objects.filter(
            pk=export_id, status=ReportStatus.RUNNING, claim_token=token
        ).update(
            status=ReportStatus.DONE,
            finished_at=timezone.now(),
            build_ms=round((time.perf_counter() - started) * 1000),
            pdf=name,
        )
        if finished:
            audit.record(
                actor=None, action=audit.AuditAction.EXPORT, obj=export, fields=["pdf"], detail="subject access built"
            )
    if not finished:
        default_storage.delete(name)
        return "superseded"
    return "done"


def fail_subject_access(*, export_id, reason):
    """Mark an unfinished export failed with a reason the lead can read."""
    with transaction.atomic():
        failed = SubjectAccessExport.objects.filter(
            pk=export_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
        ).update(status=ReportStatus.FAILED, failure_reason=reason[:300], finished_at=timezone.now())
        if failed:
            audit.record(
                actor=None,
                action=audit.AuditAction.STATE,
                object_type="documents.subjectaccessexport",
                fields=["status", "failure_reason"],
                detail=f"failed export {export_id}",
            )
    return bool(failed)
