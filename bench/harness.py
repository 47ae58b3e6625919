"""The benchmark harness behind `make bench` (`python -m bench.run`).

It points Django at the PostgreSQL database `msp_bench_<CASES>` on 127.0.0.1 (user postgres),
creating, migrating and filling it with `generate_demo_data --cases CASES --seed 1` the first
time, and reusing it while the data is there with the right count and seed. Then it imports
every `bench/bench_*.py` module (or only those named in `BENCH`) and calls `run(emit)`;
`emit(figure, value, unit)` prints one line `<figure> <value> <unit>`.

See bench/README.md for the interface other benchmarks use.
"""

import contextlib
import importlib
import os
import pkgutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CASES = int(os.environ.get("CASES", "100000"))
SEED = 1
HOST = os.environ.get("BENCH_PGHOST", "127.0.0.1")
PORT = os.environ.get("BENCH_PGPORT", "5432")
# BENCH_DATABASE names a copy of the dataset (CREATE DATABASE x TEMPLATE msp_bench_<CASES>), so
# work on a branch can add indexes without touching the shared one.
DATABASE_NAME = os.environ.get("BENCH_DATABASE") or f"msp_bench_{CASES}"
ROOT = Path(__file__).resolve().parent.parent
# generate_demo_data writes it; `data=` is cases.synthetic.DATA_VERSION (3: providers named on risks).
MARKER = f"generate_demo_data cases={CASES} seed={SEED} data=3"


def database_url(name):
    return f"postgres://postgres@{HOST}:{PORT}/{name}"


def admin_connection():
    """An autocommit psycopg2 connection to the `postgres` database (to create/drop databases)."""
    import psycopg2

    conn = psycopg2.connect(host=HOST, port=PORT, user="postgres", dbname="postgres")
    conn.autocommit = True
    return conn


def database_exists(name):
    with admin_connection() as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cur.fetchone() is not None


def create_database(name, template=None):
    conn = admin_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        conn.close()


def drop_database(name):
    conn = admin_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        conn.close()


def manage(*args, database, capture=False):
    """Run `manage.py` in a subprocess against another database; returns its stdout if captured."""
    env = {**os.environ, "DATABASE_URL": database_url(database)}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )
    return done.stdout if capture else None


TEMPLATE = "msp_bench_template"


@contextlib.contextmanager
def scratch_database(name):
    """A fresh, migrated, empty database `name` (copied from a migrated template), dropped after."""
    if not database_exists(TEMPLATE):
        create_database(TEMPLATE)
    manage("migrate", "--noinput", "-v0", database=TEMPLATE)
    create_database(name, template=TEMPLATE)
    try:
        yield name
    finally:
        drop_database(name)


def _marker_ok():
    from django.db import connection

    from cases.models import Case

    with connection.cursor() as cur:
        cur.execute("SELECT obj_description('cases_case'::regclass, 'pg_class')")
        comment = cur.fetchone()[0]
    return comment == MARKER and Case.objects.count() == CASES


def prepare():
    """Make `msp_bench_<CASES>` ready (create, migrate, generate once) and set Django up on it."""
    os.environ["DATABASE_URL"] = database_url(DATABASE_NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")
    if not database_exists(DATABASE_NAME):
        create_database(DATABASE_NAME)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if not _marker_ok():
        from django.db import connections

        connections.close_all()
        print(f"# generating {CASES:,} cases into {DATABASE_NAME} (once)", file=sys.stderr)
        create_database(DATABASE_NAME)
        call_command("migrate", verbosity=0, interactive=False)
        started = time.monotonic()
        call_command("generate_demo_data", cases=CASES, seed=SEED, stdout=sys.stderr)
        print(f"# generated in {time.monotonic() - started:.0f} s", file=sys.stderr)
    vacuum_if_needed()


#: The tables the generator fills. After a bulk load their visibility maps are empty until a
#: VACUUM runs, so an index-only scan would still visit every heap page it touches.
GENERATED_TABLES = (
    "cases_person",
    "cases_case",
    "cases_risk",
    "cases_risktype",
    "cases_decision",
    "cases_enquiry",
    "cases_caseevent",
    "reporting_casefacts",  # kept by triggers as the generator writes (reporting/facts.py)
)


def vacuum_if_needed():
    """VACUUM (ANALYZE) the generated tables whose pages are not (almost) all marked all-visible.

    On a live database autovacuum does this soon after a bulk load (PostgreSQL 13+ vacuums
    after inserts too); the benchmark server may run with autovacuum off, and the generator
    only ANALYZEs. Done once per dataset: later runs find the visibility maps set and skip it.
    """
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            # Pages from the file's size, not `relpages`: that is 0 until the first VACUUM or
            # ANALYZE, and the facts table (filled by triggers) has had neither.
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)"
            " AND pg_relation_size(oid) > 0"
            " AND relallvisible < 0.95 * pg_relation_size(oid) / current_setting('block_size')::int"
            " ORDER BY relname",
            [list(GENERATED_TABLES)],
        )
        stale = [name for (name,) in cur.fetchall()]
        if not stale:
            return
        print(f"# VACUUM (ANALYZE) {', '.join(stale)} (visibility maps not set)", file=sys.stderr)
        started = time.monotonic()
        cur.execute(f"VACUUM (ANALYZE) {', '.join(stale)}")
        print(f"# vacuumed in {time.monotonic() - started:.0f} s", file=sys.stderr)


def emit(figure, value, unit):
    """Print one figure: `<figure> <value> <unit>`."""
    if isinstance(value, float):
        value = f"{value:.3g}" if value < 100 else f"{value:.0f}"
    print(f"{figure} {value} {unit}", flush=True)


def signed_in_client(user):
    """A Django test client signed in as `user`, with the settings a page benchmark needs
    (the test client speaks plain HTTP to `testserver` and has no authenticator)."""
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.REQUIRE_2FA = False
    settings.SECURE_SSL_REDIRECT = False
    client = Client()
    client.force_login(user)
    return client


def time_page(emit, name, client, url, *, runs=7):
    """GET `url` once to warm up, then `runs` times; emit `page.<name> <median> ms` and
    `page.<name>.queries <count> queries` (the count of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
    emit(f"page.{name}", statistics.median(timings), "ms")
    emit(f"page.{name}.queries", len(queries), "queries")
    return statistics.median(timings), len(queries)


def modules(selected=None):
    """The bench_* module names in bench/, limited to `selected` (e.g. "import,pages") if given."""
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    if selected:
        wanted = {w.strip().removeprefix("bench_") for w in selected.split(",") if w.strip()}
        unknown = wanted - {n.removeprefix("bench_") for n in names}
        if unknown:
            raise SystemExit(f"No benchmark called {', '.join(sorted(unknown))}; have {', '.join(names)}")
        names = [n for n in names if n.removeprefix("bench_") in wanted]
    return names


def main():
    names = modules(os.environ.get("BENCH"))
    prepare()
    print(f"# database {DATABASE_NAME} ({CASES:,} cases, seed {SEED})", file=sys.stderr)
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        try:
            module.run(emit)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed.append(name)
            print(f"# {name} failed: {exc!r}", file=sys.stderr)
    if failed:
        raise SystemExit(f"Benchmarks failed: {', '.join(failed)}")
