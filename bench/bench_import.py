"""Legacy import throughput: IMPORT_ROWS (default 100,000) rows into a scratch database.

The scratch database is a fresh migrated copy of an empty template, dropped afterwards. The
time is the command's own (validation and import in one transaction, commit included),
without Python start-up.
"""

import os
import re
import tempfile
from pathlib import Path

from bench import harness
from bench.legacy_csv import write_legacy_csv


def run(emit):
    rows = int(os.environ.get("IMPORT_ROWS", "100000"))
    with harness.scratch_database("msp_bench_import") as db, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "legacy.csv"
        write_legacy_csv(path, rows)
        out = harness.manage("import_cases", str(path), database=db, capture=True)
    seconds = float(re.search(r"in ([\d.]+) s", out).group(1))
    emit("import.rows_per_second", rows / seconds, "rows/s")
    emit(f"import.seconds_{rows}", seconds, "s")
