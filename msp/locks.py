"""PostgreSQL session advisory locks: one holder at a time across processes and machines.

The report runs (`reporting.services`) and the scheduled tasks (`notifications.tasks`) take one
so that a second delivery, or a second beat started by mistake, does the work at most once.
"""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def exclusive(key):
    """Hold the advisory lock `key` (a 64-bit integer) for this database session (PostgreSQL).

    Yields whether it was acquired; never waits. The lock dies with the connection, so a
    process that was killed cannot keep it. On SQLite (demo, unit tests) it always yields True:
    the caller's own guard (a conditional UPDATE, a unique row) is then the only one.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
