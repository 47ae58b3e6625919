"""Readiness probes: each answers True or False and logs only the kind of failure."""

import logging

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        log.warning("readiness: database unavailable (%s)", type(exc).__name__)
        return False


def redis_ok():
    if not settings.REDIS_URL:
        return True
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        log.warning("readiness: redis unavailable (%s)", type(exc).__name__)
        return False


def workers_ok(timeout=2.0):
    """At least one Celery worker answers a ping (True when tasks run in-process, as in the demo)."""
    from msp.celery import app

    if app.conf.task_always_eager:
        return True
    try:
        return bool(app.control.ping(timeout=timeout))
    except Exception as exc:  # noqa: BLE001 - any failure means no worker can be reached
        log.warning("readiness: workers unreachable (%s)", type(exc).__name__)
        return False
