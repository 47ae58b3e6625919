"""Reports produced by real Celery worker processes (Redis broker, PostgreSQL test database).

Skipped unless REDIS_URL is set and the database is PostgreSQL. Workers come from the
`workers` fixture (root conftest.py); SIGKILL on a worker's process group stands in for a
machine dying mid-report.
"""

import datetime
import os
import signal
import time

import pytest
from django.core.files.storage import default_storage

from accounts.models import AuditAction, AuditEvent
from reporting import rendering, requests
from reporting.aggregation import Period
from reporting.models import ReportRun, ReportStatus
from reporting.pdf import pdf_text
from reporting.tests import scenario
from tests.workers import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FY = {"period_start": datetime.date(2024, 4, 1), "period_end": datetime.date(2025, 3, 31)}


def _status(run):
    run.refresh_from_db()
    return run.status


@pytest.fixture
def requested(world):
    built = scenario.build([world.team_a, world.team_b])
    expected = scenario.expected_tables(built)

    def request():
        return requests.request_report(user=world.sab_member, **FY)  # queued when this commits

    return request, expected


def test_a_real_worker_produces_the_report_and_its_pdf_shows_the_figures(workers, requested):
    request, expected = requested
    workers(CELERY_VISIBILITY_TIMEOUT=120)
    run = request()
    wait_for(lambda: _status(run) in (ReportStatus.DONE, ReportStatus.FAILED), 90, "report not finished in 90 s")
    assert run.status == ReportStatus.DONE, run.failure_reason
    text = pdf_text(default_storage.open(run.pdf.name).read())
    first_sentence = rendering.msp_summary(rendering.publish(Period(FY["period_start"], FY["period_end"])))[0]
    assert " ".join(first_sentence.split()[:6]) in " ".join(text.split())
    assert default_storage.open(run.csv.name).read().startswith(b"table,row,column,value")


def test_a_report_whose_worker_is_killed_is_completed_once_by_another_worker(workers, requested):
    request, _ = requested
    visibility = 4
    # This worker's reports pause for a minute once claimed (patched in by the test-only app).
    first = workers(app="tests.slow_report_worker", CELERY_VISIBILITY_TIMEOUT=visibility, SLOW_REPORT_SECONDS=60)
    run = request()
    wait_for(lambda: _status(run) == ReportStatus.RUNNING, 60, "the first worker never claimed the report")
    claimed = time.monotonic()
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert _status(run) == ReportStatus.RUNNING
    # The broker hands the unacknowledged message out again once the visibility timeout has
    # passed; a worker sweeps for such messages as it starts.
    time.sleep(max(0, claimed + visibility + 1 - time.monotonic()))
    workers(CELERY_VISIBILITY_TIMEOUT=visibility)
    wait_for(lambda: _status(run) in (ReportStatus.DONE, ReportStatus.FAILED), 120, "report not completed")
    assert run.status == ReportStatus.DONE, run.failure_reason
    assert run.attempts == 2
    done_events = AuditEvent.objects.filter(
        action=AuditAction.STATE, object_type="reporting.reportrun", object_id=str(run.pk), detail="done"
    )
    assert done_events.count() == 1
    folders, _ = default_storage.listdir(f"reports/{run.pk}")
    assert len(folders) == 1  # the killed worker stored nothing; one set of files
    assert ReportRun.objects.count() == 1
