import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.core.files.storage import default_storage

from reporting import services
from reporting.models import ReportRun, ReportStatus
from reporting.tasks import generate_report
from reporting.tests import scenario


@pytest.fixture
def run(world):
    scenario.build([world.team_a, world.team_b])
    return ReportRun.objects.create(
        requested_by=world.sab_member, period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2025, 3, 31)
    )


def _files(run):
    """Every file stored for the run, across attempt folders."""
    folders, _ = default_storage.listdir(f"reports/{run.pk}")
    return [
        f"{folder}/{name}" for folder in folders for name in default_storage.listdir(f"reports/{run.pk}/{folder}")[1]
    ]


def test_the_task_is_acknowledged_late_and_requeued_if_its_worker_is_lost():
    assert generate_report.acks_late is True
    assert generate_report.reject_on_worker_lost is True
    assert generate_report.soft_time_limit < generate_report.time_limit


def test_a_redelivered_task_does_not_produce_a_second_report(run):
    assert generate_report.delay(run.pk).get() == "done"
    run.refresh_from_db()
    first = (run.pdf.name, run.csv.name, run.finished_at)
    assert generate_report.delay(run.pk).get() == "skipped"
    run.refresh_from_db()
    assert (run.pdf.name, run.csv.name, run.finished_at) == first
    assert run.attempts == 1
    assert len(_files(run)) == 3  # one PDF, one CSV, one unrounded CSV


def test_a_run_claimed_again_after_a_lost_worker_is_finished_by_the_new_claim_only(run):
    stale_token = services._claim(run.pk)  # the first worker claimed the run, then died
    assert services.run_report(run_id=run.pk) == "done"
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.attempts == 2 and run.claim_token != stale_token


def test_a_worker_whose_claim_was_taken_over_discards_its_files(run, monkeypatch):
    token = services._claim(run.pk)
    services._claim(run.pk)  # another delivery took the run over
    files = services.build_report(services.Period(run.period_start, run.period_end), None, unrounded=True)
    run.refresh_from_db()
    assert services._store(run, token, services.Period(run.period_start, run.period_end), files) == "superseded"
    assert _files(run) == []


def test_a_report_that_runs_past_the_soft_time_limit_fails_with_a_reason(run, monkeypatch):
    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "build_report", too_slow)
    assert generate_report.delay(run.pk).get() == "failed"
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED
    assert run.failure_reason.startswith("The report took longer than 240 seconds")


def test_a_report_killed_by_the_hard_time_limit_is_marked_failed(run):
    services._claim(run.pk)
    generate_report.on_failure(TimeLimitExceeded(300), "task-id", (run.pk,), {}, None)
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and "longer than 300 seconds" in run.failure_reason


def test_an_unexpected_error_fails_the_run_without_personal_data_in_the_reason(run, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("Testperson Synthetic1")

    monkeypatch.setattr(services, "build_report", broken)
    generate_report.delay(run.pk).get()
    run.refresh_from_db()
    assert run.failure_reason == "An unexpected error stopped the report (KeyError)."


def test_a_report_given_up_after_too_many_attempts(run):
    ReportRun.objects.filter(pk=run.pk).update(attempts=3, status=ReportStatus.RUNNING)
    assert services.run_report(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and "after 3 attempts" in run.failure_reason


def test_a_task_for_a_run_that_no_longer_exists_does_nothing(db):
    assert generate_report.delay(987654).get() == "skipped"
