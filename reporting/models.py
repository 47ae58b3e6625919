"""Report runs: one row per SAB report requested, from the queue to the produced files.

A run records who asked, for which period and scope, how far the Celery worker has got
(queued, running, done, failed with a reason), how long each step took and where the
produced files are in Django's default storage. Reports hold aggregate figures only.
"""

from django.conf import settings
from django.db import models


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being produced"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def report_upload_to(run, filename):
    return f"reports/{run.pk}/{filename}"


class QueuedRun(models.Model):
    """What every queued run records of its progress on the worker (a report, a statutory return)."""

    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    failure_reason = models.CharField(max_length=300, blank=True)
    # Each delivery of the task that claims the run increments `attempts` and takes a new
    # token; only the holder of the current token may mark the run done.
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self):
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)


class ReportRun(QueuedRun):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_runs")
    requested_at = models.DateTimeField(auto_now_add=True)
    period_start = models.DateField("From")
    period_end = models.DateField("To", help_text="Included in the period.")
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_runs",
        help_text="Empty for the whole board area.",
    )
    # "month", "quarter" or "year" when the period was a standard period that had ended when
    # the report was requested; empty otherwise. SAB members see only runs with a kind.
    period_kind = models.CharField(max_length=10, blank=True, default="")
    aggregation_ms = models.PositiveIntegerField(null=True, blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)
    pdf = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)
    csv = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)
    csv_unrounded = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["team", "-requested_at"], name="report_run_scope")]

    def __str__(self):
        return f"SAB report {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y} ({self.scope_label})"

    @property
    def scope_label(self):
        return f"team: {self.team.name}" if self.team_id else "whole board area"

    @property
    def period_label(self):
        """ "June 2025", "April to June 2025", "Financial year 2024-25", or the dates."""
        from .aggregation import Period
        from .periods import label

        return label(Period(self.period_start, self.period_end))


def return_upload_to(run, filename):
    return f"returns/{run.pk}/{filename}"


class ReturnRun(QueuedRun):
    """One statutory return workbook (SAC) requested by a safeguarding lead, queued on the worker.

    The workbook holds unrounded aggregate figures for the whole council: leads only, never SAB
    members. The task is given this row's primary key only.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_runs")
    requested_at = models.DateTimeField(auto_now_add=True)
    year_start = models.DateField("Financial year from", help_text="1 April of the financial year.")
    build_ms = models.PositiveIntegerField(null=True, blank=True)
    checks_passed = models.BooleanField(null=True, blank=True)
    xlsx = models.FileField(upload_to=return_upload_to, max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Statutory return {self.year_label}"

    @property
    def period(self):
        from .periods import financial_year

        return financial_year(self.year_start.year)

    @property
    def year_label(self):
        from .periods import fy_label

        return fy_label(self.period)
