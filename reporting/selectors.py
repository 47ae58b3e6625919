"""Reads of the reporting app, starting from who may see which report runs.

The aggregation itself lives in `reporting.aggregation` (unrounded tables) and is published
only through `reporting.disclosure`.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts import access

from .models import ReportRun, ReportStatus


def report_runs_for(user):
    """Runs the user may see: every run for leads; for SAB members, board-area runs of a standard
    period that had ended when it was requested (a lead's report for any other dates could be
    subtracted from a standard one)."""
    runs = ReportRun.objects.select_related("team", "requested_by")
    if not access.is_lead(user):
        runs = runs.filter(team__isnull=True).exclude(period_kind="")
    return runs


def get_run_for_user(user, pk):
    """One run the user may see, or 404 (a team report is not revealed to a SAB member)."""
    return get_object_or_404(report_runs_for(user), pk=pk)


def downloads_for(user, run):
    """[(label, url)] of the files of a finished run that this user may download."""
    if run.status != ReportStatus.DONE:
        return []
    files = [
        ("PDF report", reverse("reporting:download_pdf", args=[run.pk])),
        ("CSV data (disclosure-controlled)", reverse("reporting:download_csv", args=[run.pk])),
    ]
    if access.is_lead(user) and run.csv_unrounded:
        files.append(("CSV data, UNROUNDED (leads only)", reverse("reporting:download_unrounded_csv", args=[run.pk])))
    return files


def run_status(user, run):
    """The JSON the report page polls: status, reason and, when done, the downloads."""
    return {
        "status": run.status,
        "label": run.get_status_display(),
        "finished": run.is_finished,
        "reason": run.failure_reason,
        "downloads": [{"label": label, "url": url} for label, url in downloads_for(user, run)],
    }


def return_runs_for(user):
    """Workbook runs a user may see: every run for a safeguarding lead, none for anyone else."""
    from .models import ReturnRun

    if not access.is_lead(user):
        return ReturnRun.objects.none()
    return ReturnRun.objects.select_related("requested_by")


def get_return_for_user(user, pk):
    return get_object_or_404(return_runs_for(user), pk=pk)


def return_checks(year):
    """The checks before submission for a financial year, on the unrounded whole-council tables."""
    from .aggregation import aggregate
    from .checks import run_checks

    return run_checks(year, aggregate(year))
