"""Reports produced by real Celery worker processes (Redis broker, PostgreSQL test database).

Skipped unless REDIS_URL is set and the database is PostgreSQL. Each worker is a
`celery -A msp worker --pool=solo` subprocess pointed at this test's database and media
folder; SIGKILL on its process group stands in for a machine dying mid-report.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from accounts.models import AuditAction, AuditEvent
from reporting import disclosure, services
from reporting.models import ReportRun, ReportStatus
from reporting.pdf import pdf_text
from reporting.tests import scenario

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
FY = {"period_start": datetime.date(2024, 4, 1), "period_end": datetime.date(2025, 3, 31)}


@pytest.fixture
def workers(tmp_path):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL")
    from msp.celery import app

    app.control.purge()  # stale messages from an earlier run must not reach this test's workers
    started = []

    def start(**env):
        db = connection.settings_dict
        credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        log = tmp_path / f"worker-{len(started)}.log"
        worker_env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": os.environ["REDIS_URL"],
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SECRET_KEY": settings.SECRET_KEY,
            **{key: str(value) for key, value in env.items()},
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "msp", "worker", "--pool=solo", "-l", "INFO",
             "-n", f"reporting-test-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR, env=worker_env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        _wait_for(lambda: " ready." in log.read_text(), 60, f"worker did not start: {log.read_text()[-2000:]}")
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(message)


def _status(run):
    run.refresh_from_db()
    return run.status


@pytest.fixture
def requested(world):
    built = scenario.build([world.team_a, world.team_b])
    expected = scenario.expected_tables(built)

    def request():
        return services.request_report(user=world.sab_member, **FY)  # queued when this commits

    return request, expected


def test_a_real_worker_produces_the_report_and_its_pdf_shows_the_figures(workers, requested):
    request, expected = requested
    workers(CELERY_VISIBILITY_TIMEOUT=120)
    run = request()
    _wait_for(lambda: _status(run) in (ReportStatus.DONE, ReportStatus.FAILED), 90, "report not finished in 90 s")
    assert run.status == ReportStatus.DONE, run.failure_reason
    text = pdf_text(default_storage.open(run.pdf.name).read())
    concluded = disclosure.count(expected["msp_asked"]["total"]["enquiries"])
    assert f"{concluded} section 42 enquiries were concluded in the period" in text
    assert default_storage.open(run.csv.name).read().startswith(b"table,row,column,value")


def test_a_report_whose_worker_is_killed_is_completed_once_by_another_worker(workers, requested):
    request, _ = requested
    visibility = 4
    first = workers(CELERY_VISIBILITY_TIMEOUT=visibility, REPORT_TASK_TEST_DELAY_SECONDS=60)
    run = request()
    _wait_for(lambda: _status(run) == ReportStatus.RUNNING, 60, "the first worker never claimed the report")
    claimed = time.monotonic()
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert _status(run) == ReportStatus.RUNNING
    # The broker hands the unacknowledged message out again once the visibility timeout has
    # passed; a worker sweeps for such messages as it starts.
    time.sleep(max(0, claimed + visibility + 1 - time.monotonic()))
    workers(CELERY_VISIBILITY_TIMEOUT=visibility)
    _wait_for(lambda: _status(run) in (ReportStatus.DONE, ReportStatus.FAILED), 120, "report not completed")
    assert run.status == ReportStatus.DONE, run.failure_reason
    assert run.attempts == 2
    done_events = AuditEvent.objects.filter(
        action=AuditAction.STATE, object_type="reporting.reportrun", object_id=str(run.pk), detail="done"
    )
    assert done_events.count() == 1
    folders, _ = default_storage.listdir(f"reports/{run.pk}")
    assert len(folders) == 1  # the killed worker stored nothing; one set of files
    assert ReportRun.objects.count() == 1
