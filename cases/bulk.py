"""Fast bulk writes for the demo-data generator and the legacy import.

On PostgreSQL rows go in with `COPY ... FROM STDIN` (psycopg2 `copy_expert`), which is one to
two orders of magnitude faster than INSERTs; on SQLite (the demo and the fast test loop) they
go through `bulk_create`. Callers pass plain tuples in the order of `columns` (attribute names,
so `person_id`, not `person`). Columns left out get their Django default, since COPY knows
nothing of Python-side defaults or `auto_now`.

A bulk load of cases runs inside `loading(case_ids)`: database triggers that keep derived data
statement by statement (the SAB aggregation's case facts, `reporting/facts.py`) skip their work
while the transaction's `msp.bulk_load` setting is on, and `cases_loaded` is sent once at the
end, so each case's derived rows are computed once instead of after every COPY of every table.
"""

import csv
import datetime
import io
from contextlib import contextmanager

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

#: Sent inside the load's transaction when `loading()` ends, with `case_ids`: the cases written.
cases_loaded = Signal()

COPY_NULL = r"\N"
_BATCH = 20_000


def is_postgresql():
    return connection.vendor == "postgresql"


def _iso(value):
    return value.isoformat()


# Dispatch on the exact type: this runs for every value of millions of rows.
_CONVERT = {
    str: None,
    int: None,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: COPY_NULL,
    datetime.datetime: _iso,
    datetime.date: _iso,
}


def _pg_row(row):
    out = []
    for value in row:
        convert = _CONVERT.get(type(value), str)
        out.append(value if convert is None else convert(value))
    return out


def _defaults(model, columns):
    """Columns left out that the database cannot fill (Django defaults live in Python)."""
    now = timezone.now()
    extra = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in columns or f.null:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            extra[f.attname] = now
        elif f.has_default():
            extra[f.attname] = f.get_default()
        elif f.blank and f.empty_strings_allowed:
            extra[f.attname] = ""
    return extra


@contextmanager
def loading(case_ids):
    """Bulk-write the cases `case_ids` (and their adults, risks, enquiries) in one transaction:
    per-statement derived-data triggers skip meanwhile; `cases_loaded` is sent after the writes."""
    with transaction.atomic():
        _bulk_load_setting("on")
        yield
        _bulk_load_setting("off")
        cases_loaded.send(sender=None, case_ids=list(case_ids))


def _bulk_load_setting(value):
    """Set `msp.bulk_load` for the rest of this transaction (PostgreSQL; SQLite has no triggers to tell)."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('msp.bulk_load', %s, true)", [value])


def copy_rows(model, columns, rows):
    """Write `rows` (iterable of tuples in `columns` order) into `model`'s table; returns the count.

    Columns left out get the field's Django default (`now` for auto_now fields, "" for blank text).
    """
    extra = _defaults(model, columns)
    if extra:
        tail = tuple(extra.values())
        columns = [*columns, *extra]
        rows = (tuple(row) + tail for row in rows)
    if is_postgresql():
        return _copy_postgresql(model, columns, rows)
    return _bulk_create(model, columns, rows)


def _copy_postgresql(model, columns, rows):
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{COPY_NULL}')"
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        while hasattr(raw, "cursor") and not hasattr(raw, "copy_expert"):
            raw = raw.cursor
        for row in rows:
            writer.writerow(_pg_row(row))
            count += 1
            if count % _BATCH == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return count


def _bulk_create(model, columns, rows):
    # Plain INSERTs with each field's own adaptation: bulk_create would replace explicit
    # created_at/updated_at values by now().
    fields = [model._meta.get_field(c) for c in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # Identifiers come from model metadata, quoted; values are parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    prepared = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), _BATCH):
            cursor.executemany(sql, prepared[start : start + _BATCH])
    return len(prepared)


def reserve_ids(model, count):
    """Primary keys for `count` new rows, reserved so nobody else can take them.

    On PostgreSQL they come from the table's identity sequence (safe beside concurrent
    writers); on SQLite, which has a single writer, they follow the current maximum.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def analyze(models):
    """Refresh planner statistics after a bulk load (PostgreSQL only)."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
