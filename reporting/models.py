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


class CellsField(models.Field):
    """A case's SG2 cells (`reporting.facts`): an integer array on PostgreSQL. Written and read
    by SQL only; on the embedded SQLite default the facts are not kept and the column is unused."""

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"


#: The adult's SAC demographics a case's facts row copies (SG1).
ADULT_FACTS = (
    "adult_date_of_birth", "adult_gender", "adult_ethnicity", "adult_primary_support_reason", "adult_health_condition",
)  # fmt: skip


class CaseFacts(models.Model):
    """One case's facts for the SAB aggregation, already joined: the concern, the adult's SAC
    demographics, the enquiry and the SG2 cells of its risks. Kept by PostgreSQL triggers
    (`reporting.facts`) whatever writes the records; never written by the application, and
    never shown: the aggregation counts it, nothing lists it."""

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    received_at = models.DateTimeField()
    team = models.ForeignKey(
        "accounts.Team", null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    person = models.ForeignKey(
        "cases.Person", null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    adult_date_of_birth = models.DateField(null=True)
    adult_gender = models.CharField(max_length=10, null=True)
    adult_ethnicity = models.CharField(max_length=10, null=True)
    adult_primary_support_reason = models.CharField(max_length=20, null=True)
    adult_health_condition = models.CharField(max_length=10, null=True)
    enquiry_kind = models.CharField(max_length=20, null=True)
    started_on = models.DateField(null=True)
    concluded_on = models.DateField(null=True)
    risk_cells = CellsField(null=True)

    class Meta:
        indexes = [
            # SG1 of the concerns received, the enquiries started; SG2 of the s42 enquiries
            # concluded: each an index-only scan (reporting/tests/test_aggregation_plans.py).
            models.Index(fields=["received_at"], include=["team", "person", *ADULT_FACTS], name="facts_received_sg1"),
            models.Index(
                fields=["started_on"],
                include=["case", "enquiry_kind", "team", "person", *ADULT_FACTS],
                condition=models.Q(started_on__isnull=False),
                name="facts_started_sg1",
            ),
            models.Index(
                fields=["concluded_on"],
                include=["team", "risk_cells"],
                condition=models.Q(enquiry_kind="s42", concluded_on__isnull=False),
                name="facts_concluded_sg2",
            ),
        ]

    def __str__(self):
        return f"Facts of case {self.case_id}"
