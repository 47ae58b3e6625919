"""Asking for a report or the statutory return's workbook: the request is checked, recorded and queued for a worker.

Kept out of `services` (the worker's side: producing the report), so that the task, which
imports `services`, is not imported back by the module that queues it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access, audit
from msp.celery import send_after_commit

from . import periods, services
from .aggregation import Period
from .models import ReportRun, ReturnRun
from .tasks import generate_report, generate_return

QUEUE_FAILED_REASON = (
    "The report could not be queued because the report service is unavailable. "
    "Nothing was produced: please request it again in a few minutes."
)


STANDARD_ONLY_MESSAGE = (
    "SAB members choose a whole month, quarter or financial year that has ended, so that no two reports "
    "can be compared to single anyone out."
)


@transaction.atomic
def request_report(*, user, period_start, period_end, team=None):
    """Record a report request and queue its production once the request is committed.

    SAB members may ask only for a standard period that has ended (`reporting.periods`); a
    period describing too few adults is not refused but produces a report whose tables are
    all withheld (`reporting.disclosure`), so the request answers no question about a count.
    """
    if team is not None and not access.is_lead(user):
        raise ValidationError("Only safeguarding leads can request a report for one team.", code="team_scope")
    if not access.reads_reports(user):
        raise ValidationError("Only SAB members and safeguarding leads can request reports.", code="role")
    if period_end < period_start:
        raise ValidationError("The end of the period must not be before its start.", code="period")
    period = Period(period_start, period_end)
    standard = periods.is_standard(period) and periods.is_complete(period, timezone.localdate())
    if not access.is_lead(user) and not standard:
        raise ValidationError(STANDARD_ONLY_MESSAGE, code="standard_period")
    run = ReportRun.objects.create(
        requested_by=user,
        period_start=period_start,
        period_end=period_end,
        team=team,
        period_kind=periods.kind(period) if standard else "",
    )
    audit.record(actor=user, action=audit.AuditAction.CREATE, obj=run, fields=["period_start", "period_end", "team"])

    def not_queued():
        services.fail_run(run_id=run.pk, reason=QUEUE_FAILED_REASON)
        run.refresh_from_db(fields=["status", "failure_reason", "finished_at"])

    # Queued once committed; if the broker is down the run is failed with a reason at once.
    send_after_commit(generate_report, run.pk, on_failure=not_queued)
    return run


@transaction.atomic
def request_return(*, user, year):
    """Record a lead's request for the workbook of one financial year and queue it once committed."""
    if not access.is_lead(user):
        raise ValidationError("Only safeguarding leads can make the statutory return.", code="role")
    if year.start > timezone.localdate():
        raise ValidationError("That financial year has not started.", code="future")
    run = ReturnRun.objects.create(requested_by=user, year_start=year.start)
    audit.record(actor=user, action=audit.AuditAction.CREATE, obj=run, fields=["year_start"])

    def not_queued():
        services.fail_return(run_id=run.pk, reason=QUEUE_FAILED_REASON.replace("report", "workbook"))
        run.refresh_from_db(fields=["status", "failure_reason", "finished_at"])

    send_after_commit(generate_return, run.pk, on_failure=not_queued)
    return run
