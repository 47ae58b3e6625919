"""Database helpers shared by the apps that aggregate (practice quality, SAB reports, the SAC return)."""

import contextlib

from django.db import connection, transaction


@contextlib.contextmanager
def figures_transaction():
    """Read aggregate figures in one transaction with PostgreSQL's JIT compiler off (these
    grouped statements cost more to compile, about 200 ms, than to run) and enough sort memory
    for a year's rows to be grouped in memory rather than on disk. Nothing changes elsewhere."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        yield
