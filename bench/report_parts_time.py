"""Time a SAB report's aggregation with and without `aggregate_parts` (a script, not a test).

    .venv/bin/python bench/report_parts_time.py msp_bench_1000000 [runs]

Prints, for each run, interleaved so both see the same load: the report aggregation as
`build_report` does it (this year and the previous year, each controlled against its quarters
and months, and the published trend) with the parts counted together (`aggregate_parts`,
"parts") and one `aggregate` per period as before ("per period"), each with its SELECT count;
then `aggregate(year)` and `aggregate_parts(year)` alone. The published figures of the two
ways are compared cell by cell.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/" + sys.argv[1]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp.settings")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.bench_reporting import _bench_period  # noqa: E402
from reporting import periods, rendering  # noqa: E402
from reporting.aggregation import aggregate, aggregate_parts  # noqa: E402

PERIOD = _bench_period()
TOGETHER = rendering.aggregate_parts


def _report_aggregation(together):
    # Without aggregate_parts, publish() falls back to one aggregate() per period.
    rendering.aggregate_parts = TOGETHER if together else (lambda period, team, parts: {})
    try:
        cache = {}
        published = rendering.publish(PERIOD, _cache=cache)
        previous = rendering.publish(PERIOD.previous(), _cache=cache)
        trend = rendering.published_trend(PERIOD, None, cache)
        return (published.cells, published.true), (previous.cells, previous.true), trend
    finally:
        rendering.aggregate_parts = TOGETHER


def _timed(function):
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        result = function()
        seconds = time.monotonic() - started
    selects = sum(1 for query in queries.captured_queries if query["sql"].startswith("SELECT"))
    return result, seconds, selects


def main():
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(f"{sys.argv[1]}: financial year {PERIOD.start} to {PERIOD.end}")
    for run in range(runs):
        parts, t_parts, n_parts = _timed(lambda: _report_aggregation(True))
        each, t_each, n_each = _timed(lambda: _report_aggregation(False))
        assert parts == each, "the published figures differ"
        _, t_year, n_year = _timed(lambda: aggregate(PERIOD))
        _, t_all, n_all = _timed(lambda: aggregate_parts(PERIOD, parts=periods.parts))
        print(
            f"run {run + 1}: report aggregation: parts {t_parts * 1000:.0f} ms ({n_parts} SELECTs), "
            f"per period {t_each * 1000:.0f} ms ({n_each} SELECTs), figures equal; "
            f"aggregate(year) {t_year * 1000:.0f} ms ({n_year}), "
            f"aggregate_parts(year) {t_all * 1000:.0f} ms ({n_all}); load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
