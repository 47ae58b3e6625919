"""Real Celery worker processes for tests marked `worker` (Redis broker, PostgreSQL test database).

Each worker is a `celery -A msp worker --pool=solo` subprocess pointed at the running test's
database and media folder, started in its own process group so a test can SIGKILL it.
"""

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
from django.db import connection


def wait_for(condition, timeout, message):
    """Poll `condition` every 0.25 s; fail the test with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(message)


def worker_starter(log_dir):
    """Return `(start, stop_all)`: `start(app="msp", **env)` launches a worker of the Celery app
    `app` (a module for `celery -A`), with `env` added to its environment, and waits until it is
    ready."""
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL")
    from msp.celery import app

    app.control.purge()  # stale messages from an earlier run must not reach this test's workers
    started = []

    def start(app="msp", **env):
        db = connection.settings_dict
        credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        log = Path(log_dir) / f"worker-{len(started)}.log"
        worker_env = {
            **{key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"},
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,  # this test process's own Redis database (msp/settings.py)
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SECRET_KEY": settings.SECRET_KEY,
            "AUDIT_HMAC_KEY": settings.AUDIT_HMAC_KEY,  # the worker's audit rows join the test's chain
            **{key: str(value) for key, value in env.items()},
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, "worker", "--pool=solo", "-l", "INFO",
             "-n", f"test-worker-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"],
            cwd=settings.BASE_DIR, env=worker_env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        started.append(process)
        wait_for(lambda: " ready." in log.read_text(), 60, f"worker did not start: {log.read_text()[-2000:]}")
        return process

    def stop_all():
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)

    return start, stop_all
