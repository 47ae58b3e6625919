"""Legacy import throughput: IMPORT_ROWS (default 100,000) rows into a scratch database.

The scratch database is copied from a migrated empty template (`msp_bench_template`) so each
run starts clean, and dropped afterwards. The time is the command's own (validation and
import in one transaction), without Python start-up.
"""

import os
import re
import tempfile
from pathlib import Path

from bench import harness
from bench.legacy_csv import write_legacy_csv

TEMPLATE = "msp_bench_template"
SCRATCH = "msp_bench_import"


def run(emit):
    rows = int(os.environ.get("IMPORT_ROWS", "100000"))
    if not harness.database_exists(TEMPLATE):
        harness.create_database(TEMPLATE)
    harness.manage("migrate", "--noinput", "-v0", database=TEMPLATE)
    harness.create_database(SCRATCH, template=TEMPLATE)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "legacy.csv"
            write_legacy_csv(path, rows)
            out = harness.manage("import_cases", str(path), database=SCRATCH, capture=True)
        seconds = float(re.search(r"in ([\d.]+) s", out).group(1))
    finally:
        harness.drop_database(SCRATCH)
    emit("import.rows_per_second", rows / seconds, "rows/s")
    emit(f"import.seconds_{rows}", seconds, "s")
