"""The staff case summary: the whole record of one case as a PDF, for a case conference or a
court bundle.

Requested by anyone who may see the case (the access policy's case scope: team, restricted
cases for their named users, never SAB members or system administrators), rendered by a
Celery task that is given the document's id only, stored in default storage, and downloaded
through the same scope. The request, the rendering and every download are audited.
"""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts import audit
from cases.access import case_scope
from cases.workflow import log_event

from .models import (
    CaseSummaryDocument,
    SummaryStatus,
)

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
