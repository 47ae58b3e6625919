"""The embedded demo (SQLite, `manage.py runserver` as `make run` starts it) serves a team's
try-out without a single error: 20 parallel requests for a case page, each writing its audit row,
plus favicon requests overlapping them, all answer 200 (issue 19: "database is locked" 500s).

CI runs the suite on PostgreSQL, so this test starts its own server on a temporary SQLite file.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = 20

SETUP = """
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from accounts.models import User
from cases.access import case_scope
from cases.models import Case
user = User.objects.get(username="practitioner")
case = Case.objects.filter(case_scope(user)).order_by("pk").first()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key, case.pk)
"""

COUNT = """
from accounts.models import AuditEvent
print(AuditEvent.objects.filter(case_id={pk}, action="view", detail="case page").count())
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DEBUG="true",
        REQUIRE_2FA="false",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        CELERY_TASK_ALWAYS_EAGER="true",
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
    )
    env.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdefghijkl")
    env.setdefault("AUDIT_HMAC_KEY", "test-only-audit-hmac-key-not-for-production-0123456789")
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _get(url, session_key):
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session_key}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def sqlite_demo(tmp_path):
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "generate_demo_data", "--cases", "20", "--seed", "1")
    session_key, case_pk = _manage(env, "shell", "-c", SETUP).split()[-2:]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    pytest.fail(f"runserver did not start: {server.stderr.read()}")
                time.sleep(0.2)
        yield base, session_key, int(case_pk), env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_twenty_parallel_case_page_requests_on_sqlite_all_succeed(sqlite_demo):
    base, session_key, case_pk, env = sqlite_demo
    urls = [f"{base}/cases/{case_pk}/"] * PARALLEL + [f"{base}/favicon.ico"] * 5
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        results = list(pool.map(lambda url: _get(url, session_key), urls))
    statuses = [status for status, _body in results]
    errors = [(url, status) for url, (status, _body) in zip(urls, results, strict=True) if status != 200]
    assert errors == [], statuses
    assert all(b"database is locked" not in body for _status, body in results)
    # Each page view wrote exactly one audit row: none lost to a lock, none doubled.
    assert int(_manage(env, "shell", "-c", COUNT.format(pk=case_pk)).split()[-1]) == PARALLEL
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
