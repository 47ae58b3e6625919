"""Writes of the reporting app: producing a report (the Celery task's work), failing a run,
recording downloads. Asking for a report, which queues the task, is `reporting.requests`."""

import logging
import time
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit
from msp.locks import exclusive

from . import conf
from .aggregation import Period
from .models import ReportRun, ReportStatus
from .rendering import build_report, file_names

logger = logging.getLogger(__name__)

# Advisory-lock key space for report runs (PostgreSQL): key = namespace + run id.
LOCK_NAMESPACE = 0x5AB0_0000_0000_0000


def _exclusive(run_id, namespace=LOCK_NAMESPACE):
    """Hold the run's advisory lock (`msp.locks.exclusive`) for this database session.

    The lock dies with the worker's connection, so a report whose worker was killed can be
    claimed by the next delivery while a live worker's report cannot be produced twice. On
    SQLite (demo, unit tests) the conditional UPDATE with its claim token is the only guard.
    """
    return exclusive(namespace + run_id)


def _claim(run_id):
    token = uuid.uuid4()
    claimed = ReportRun.objects.filter(pk=run_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).update(
        status=ReportStatus.RUNNING,
        claim_token=token,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        failure_reason="",
    )
    return token if claimed else None


def run_report(*, run_id):
    """Produce one report run's files; safe to call again for the same run (returns what happened).

    Called by the Celery task. A run already done or failed is skipped; a run another live
    worker is producing is left to it; only the latest claim may mark the run done.
    """
    with _exclusive(run_id) as acquired:
        if not acquired:
            logger.info("report run %s is being produced by another worker", run_id)
            return "busy"
        token = _claim(run_id)
        if token is None:
            logger.info("report run %s already finished or does not exist", run_id)
            return "skipped"
        run = ReportRun.objects.select_related("team").get(pk=run_id)
        if run.attempts > conf.get("REPORT_TASK_MAX_ATTEMPTS"):
            fail_run(run_id=run_id, reason=f"The report was stopped after {run.attempts - 1} attempts.")
            return "failed"
        audit.record(actor=None, action=audit.AuditAction.STATE, obj=run, fields=["status"], detail="running")
        try:
            period = Period(run.period_start, run.period_end)
            files = build_report(period, run.team, unrounded=True)
        except SoftTimeLimitExceeded:
            limit = int(conf.get("REPORT_TASK_SOFT_TIME_LIMIT"))
            fail_run(
                run_id=run_id,
                reason=f"The report took longer than {limit} seconds and was stopped. Try a shorter period.",
            )
            return "failed"
        except Exception as error:
            logger.exception("report run %s failed", run_id)
            fail_run(run_id=run_id, reason=f"An unexpected error stopped the report ({type(error).__name__}).")
            return "failed"
        return _store(run, token, period, files)


def _store(run, token, period, files):
    names = file_names(period, run.team)
    folder = f"reports/{run.pk}/{token.hex[:12]}"
    contents = {"pdf": files.pdf, "csv": files.csv.encode(), "csv_unrounded": files.csv_unrounded.encode()}
    stored = {
        kind: default_storage.save(f"{folder}/{names[kind]}", ContentFile(data)) for kind, data in contents.items()
    }
    with transaction.atomic():
        finished = ReportRun.objects.filter(pk=run.pk, status=ReportStatus.RUNNING, claim_token=token).update(
            status=ReportStatus.DONE,
            finished_at=timezone.now(),
            aggregation_ms=files.aggregation_ms,
            render_ms=files.render_ms,
            **stored,
        )
        if finished:
            audit.record(actor=None, action=audit.AuditAction.STATE, obj=run, fields=["status"], detail="done")
    if not finished:
        # A later claim took the run over (or it was failed meanwhile): keep only its files.
        for name in stored.values():
            default_storage.delete(name)
        return "superseded"
    return "done"


def _fail(model, run_id, reason):
    """Mark an unfinished run of `model` failed with a reason the requester can read."""
    with transaction.atomic():
        failed = model.objects.filter(pk=run_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).update(
            status=ReportStatus.FAILED, failure_reason=reason[:300], finished_at=timezone.now()
        )
        if failed:
            audit.record(
                actor=None,
                action=audit.AuditAction.STATE,
                object_type=model._meta.label_lower,
                fields=["status", "failure_reason"],
                detail=f"failed run {run_id}",
            )
    return bool(failed)


def fail_run(*, run_id, reason):
    """Mark an unfinished report run failed with a reason the requester can read."""
    return _fail(ReportRun, run_id, reason)


def record_download(*, user, run, kind):
    """Write the DOWNLOAD audit event for one file of a report."""
    return audit.record(actor=user, action=audit.AuditAction.DOWNLOAD, obj=run, fields=[kind], detail=kind)


# --- the statutory return's workbook -------------------------------------------------------

RETURN_LOCK_NAMESPACE = 0x5AC0_0000_0000_0000


def run_return(*, run_id):
    """Produce one workbook run (called by the Celery task; safe to deliver more than once)."""
    from .models import ReturnRun
    from .workbook import build_return, file_name

    with _exclusive(run_id, RETURN_LOCK_NAMESPACE) as acquired:
        if not acquired:
            return "busy"
        token = uuid.uuid4()
        claimed = ReturnRun.objects.filter(pk=run_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).update(
            status=ReportStatus.RUNNING,
            claim_token=token,
            attempts=F("attempts") + 1,
            started_at=timezone.now(),
            failure_reason="",
        )
        if not claimed:
            return "skipped"
        run = ReturnRun.objects.get(pk=run_id)
        if run.attempts > conf.get("REPORT_TASK_MAX_ATTEMPTS"):
            fail_return(run_id=run_id, reason=f"The workbook was stopped after {run.attempts - 1} attempts.")
            return "failed"
        audit.record(actor=None, action=audit.AuditAction.STATE, obj=run, fields=["status"], detail="running")
        started = time.perf_counter()
        try:
            files = build_return(run.period)
        except Exception as error:
            logger.exception("return run %s failed", run_id)
            fail_return(run_id=run_id, reason=f"An unexpected error stopped the workbook ({type(error).__name__}).")
            return "failed"
        name = default_storage.save(
            f"returns/{run.pk}/{token.hex[:12]}/{file_name(run.period)}", ContentFile(files.xlsx)
        )
        from .checks import ready_to_submit

        with transaction.atomic():
            finished = ReturnRun.objects.filter(pk=run.pk, status=ReportStatus.RUNNING, claim_token=token).update(
                status=ReportStatus.DONE,
                finished_at=timezone.now(),
                build_ms=round((time.perf_counter() - started) * 1000),
                checks_passed=ready_to_submit(files.checks),
                xlsx=name,
            )
            if finished:
                audit.record(actor=None, action=audit.AuditAction.STATE, obj=run, fields=["status"], detail="done")
        if not finished:
            default_storage.delete(name)
            return "superseded"
        return "done"


def fail_return(*, run_id, reason):
    """Mark an unfinished workbook run failed with a reason the requester can read."""
    from .models import ReturnRun

    return _fail(ReturnRun, run_id, reason)


def record_return_download(*, user, run):
    return audit.record(actor=user, action=audit.AuditAction.DOWNLOAD, obj=run, fields=["xlsx"], detail="xlsx")
