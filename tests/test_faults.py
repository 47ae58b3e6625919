"""Fault tests (`make faulttest`, marker `fault`; not in the default run): Redis and PostgreSQL failing.

- Redis down, then restarted, while users ask for SAB reports and "What you told us" summaries:
  a private `redis-server` on a free loopback port (never the shared one) is the broker of
  the web side and of a real Celery worker. A request that cannot be queued is recorded as
  failed with a reason and the user is told at once; nothing is left queued for ever; after
  the restart new requests are produced.
- A PostgreSQL connection killed (`pg_terminate_backend` from a second connection) in the
  middle of a multi-row write, on the live server: the user gets the 500 page, no row of the
  write is kept, and the next request works.

The worker killed mid-report is `reporting/tests/test_worker.py` (in the default run too).
"""

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import psycopg2
import pytest
import requests
from django.db import connection
from django.db.backends.signals import connection_created
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import CaseEvent
from outcomes.models import Conversation, DesiredOutcome, DesiredOutcomeRevision, SummaryDocument, SummaryStatus
from reporting import requests as report_requests
from reporting.models import ReportRun, ReportStatus
from reporting.tests import scenario
from tests.workers import wait_for

pytestmark = [pytest.mark.fault, pytest.mark.slow]

FY = {"period": "2024-04-01/2025-03-31"}  # a SAB member's choice of period
SUMMARY_FAILED = "The summary could not be prepared because the document service is unavailable."


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own on 127.0.0.1:<free port>, with an append-only file
    (as production should run Redis), so a restart keeps what was queued."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, _free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(self._answers, 10, "private redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def _reset_broker_pools(app):
    # kombu keeps one pool per broker URL (kombu.pools); dropping the app's references makes
    # it look the pool up again for the URL now configured.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def web_broker(url):
    """Point this process's Celery app (the web side) at another broker for the test."""
    from msp.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = url
    _reset_broker_pools(app)
    try:
        yield
    finally:
        app.conf.broker_url = previous
        _reset_broker_pools(app)


@pytest.fixture
def redis_world(world, private_redis, workers):
    scenario.build([world.team_a, world.team_b])  # enough adults for a report
    with web_broker(private_redis.url):
        workers(REDIS_URL=private_redis.url, CELERY_VISIBILITY_TIMEOUT=30)
        yield world, private_redis


def _messages(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _request_report(client):
    started = time.monotonic()
    response = client.post(reverse("reporting:request"), FY, follow=True)
    return response, time.monotonic() - started


def _request_summary(client, case):
    return client.post(reverse("outcomes:summary_request", args=[case.pk]), follow=True)


def _all_finished():
    open_runs = ReportRun.objects.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).count()
    open_summaries = SummaryDocument.objects.filter(status__in=[SummaryStatus.QUEUED, SummaryStatus.RUNNING]).count()
    return open_runs == 0 and open_summaries == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_requests_while_redis_is_down_are_failed_with_a_message_and_work_after_restart(redis_world, client):
    world, redis = redis_world
    redis.stop()

    client.force_login(world.sab_member)
    response, seconds = _request_report(client)
    assert response.status_code == 200
    assert report_requests.QUEUE_FAILED_REASON in _messages(response)
    assert seconds < 15, f"the user waited {seconds:.1f} s for the refusal"
    run = ReportRun.objects.get()
    assert run.status == ReportStatus.FAILED and run.failure_reason == report_requests.QUEUE_FAILED_REASON
    assert run.finished_at is not None

    client.force_login(world.practitioner)
    response = _request_summary(client, world.case)
    assert response.status_code == 200
    assert SUMMARY_FAILED in _messages(response)
    summary = SummaryDocument.objects.get()
    assert summary.status == SummaryStatus.FAILED and summary.error == "not queued"
    assert "Failed" in response.content.decode()  # the summary table says so too

    redis.start()
    client.force_login(world.sab_member)
    response, _ = _request_report(client)
    assert "Your report has been requested" in _messages(response)
    client.force_login(world.practitioner)
    response = _request_summary(client, world.case)
    assert "is being prepared" in _messages(response)
    wait_for(_all_finished, 120, "requests made after the restart were not produced")
    assert ReportRun.objects.filter(status=ReportStatus.DONE).count() == 1
    assert SummaryDocument.objects.filter(status=SummaryStatus.DONE).count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_report_requests_while_redis_restarts_each_end_produced_or_failed_with_a_message(redis_world, client):
    world, redis = redis_world
    client.force_login(world.sab_member)

    def restart():
        time.sleep(0.8)
        redis.stop()
        time.sleep(1.5)
        redis.start()

    restarter = threading.Thread(target=restart)
    restarter.start()
    told = []
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        response, _ = _request_report(client)
        assert response.status_code == 200
        run = ReportRun.objects.order_by("-pk").first()
        told.append((run.pk, _messages(response)))
        time.sleep(0.25)
    restarter.join()
    response, _ = _request_report(client)  # after the restart
    told.append((ReportRun.objects.order_by("-pk").first().pk, _messages(response)))

    wait_for(_all_finished, 180, "a report request was left queued or running")
    runs = {run.pk: run for run in ReportRun.objects.all()}
    assert len(runs) == len(told)
    for pk, message in told:
        run = runs[pk]
        if run.status == ReportStatus.FAILED:
            assert run.failure_reason == report_requests.QUEUE_FAILED_REASON
            assert run.failure_reason in message  # the user was told at once
        else:
            assert run.status == ReportStatus.DONE
            assert "Your report has been requested" in message
    statuses = [runs[pk].status for pk, _ in told]
    assert ReportStatus.FAILED in statuses, "Redis was never down during a request; the test proved nothing"
    assert statuses[-1] == ReportStatus.DONE


# --- PostgreSQL connection dropped mid-write ---------------------------------------------


@contextmanager
def kill_connection_after(sql_prefix):
    """Terminate the app's PostgreSQL backend (from a second connection) on the first statement
    after one starting with `sql_prefix` ran, in whichever thread serves the request."""
    state = {"armed": False, "killed": 0}
    settings = connection.settings_dict

    def wrapper(execute, sql, params, many, context):
        if state["armed"] and not state["killed"]:
            state["killed"] = context["connection"].connection.get_backend_pid()
            admin = psycopg2.connect(
                host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                user=settings["USER"], password=settings["PASSWORD"] or None, dbname=settings["NAME"],
            )  # fmt: skip
            try:
                with admin.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [state["killed"]])
                    assert cursor.fetchone() == (True,)
            finally:
                admin.close()
        result = execute(sql, params, many, context)
        if sql.startswith(sql_prefix):
            state["armed"] = True
        return result

    def install(sender, connection, **kwargs):
        connection.execute_wrappers.append(wrapper)

    connection_created.connect(install)
    try:
        yield state
    finally:
        connection_created.disconnect(install)


@pytest.fixture
def browser_session(live_server, client, settings):
    """A `requests` session signed in on the live server (plain HTTP, so cookies without Secure)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

    def sign_in(user):
        client.force_login(user)
        session = requests.Session()
        session.cookies.set("sessionid", client.cookies["sessionid"].value)
        return session

    return sign_in


def _post_form(session, url, data):
    page = session.get(url)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(url, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": url})


def _conversation(marker):
    today = datetime.date.today().isoformat()
    return {"held_on": today, "mode": "phone", "with_adult": "on", "spoken_to_alone": "True",
            "what_matters": f"{marker} I want to stay at home.", "outcomes_discussion": "not_discussed"}  # fmt: skip


def _counts(case):
    return (
        Conversation.objects.filter(case=case).count(),
        CaseEvent.objects.filter(case=case).count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_conversation_cut_off_by_a_dropped_connection_leaves_nothing_and_the_next_request_works(
    world, live_server, browser_session
):
    session = browser_session(world.practitioner)
    url = live_server.url + reverse("outcomes:conversation_add", args=[world.case.pk])
    session.get(url)  # audited page view happens before the counts
    before = _counts(world.case)

    with kill_connection_after('INSERT INTO "outcomes_conversation"') as killed:
        response = _post_form(session, url, _conversation("FIRST"))
    assert killed["killed"], "the connection was never cut"
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.text
    assert "Nothing you were saving has been half-recorded" in response.text
    connection.close()  # this thread's own connection is fine, but start clean
    conversations, events, audits = _counts(world.case)
    assert (conversations, events) == before[:2]  # no conversation, no chronology line
    # The form page's own read was audited (one row); the cut-off write left no audit row.
    assert audits == before[2] + 1
    assert not Conversation.objects.filter(what_matters__startswith="FIRST").exists()

    response = _post_form(session, url, _conversation("SECOND"))
    assert response.status_code == 200 and response.history and response.history[0].status_code == 302
    assert Conversation.objects.filter(case=world.case, what_matters__startswith="SECOND").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_outcome_edit_cut_off_by_a_dropped_connection_keeps_the_old_wording_and_version(
    world, live_server, browser_session
):
    from outcomes.models import ExpressedBy

    outcome = DesiredOutcome.objects.create(
        case=world.case, words="I want to stay at home.", expressed_by=ExpressedBy.ADULT,
        expressed_on=datetime.date(2025, 1, 6), recorded_by=world.practitioner,
    )  # fmt: skip
    session = browser_session(world.practitioner)
    url = live_server.url + reverse("outcomes:desired_outcome_edit", args=[outcome.pk])
    data = {"words": "I want to move nearer my sister.", "expressed_by": "adult", "expressed_on": "2025-02-03",
            "change_reason": "She said so at the visit.", "version": "1"}  # fmt: skip

    with kill_connection_after('UPDATE "outcomes_desiredoutcome"') as killed:
        response = _post_form(session, url, data)
    assert killed["killed"]
    assert response.status_code == 500 and "Sorry, something went wrong" in response.text
    connection.close()
    outcome.refresh_from_db()
    assert (outcome.words, outcome.version) == ("I want to stay at home.", 1)
    assert not DesiredOutcomeRevision.objects.filter(outcome=outcome).exists()

    response = _post_form(session, url, data)
    assert response.status_code == 200 and response.history
    outcome.refresh_from_db()
    assert (outcome.words, outcome.version) == ("I want to move nearer my sister.", 2)
    assert DesiredOutcomeRevision.objects.filter(outcome=outcome).count() == 1
