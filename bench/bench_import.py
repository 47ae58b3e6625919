"""Legacy import throughput: IMPORT_ROWS (default 100,000) cases into a scratch database.

Two runs, each into a fresh migrated copy of an empty template, dropped afterwards:
- interchange v2: a cases file and its risks file (about 1.4 risks per case; every case with
  several risks, and half of the others, has them in the risks file);
- version 1: a cases file alone, each case's one risk on its row (IMPORT_VERSION1=0 skips it).

The time is the command's own (validation of both files and import in one transaction,
commit included), without Python start-up.
"""

import os
import re
import tempfile
from pathlib import Path

from bench import harness
from bench.legacy_csv import write_legacy_csv


def _import(name, rows, *, with_risks):
    with harness.scratch_database(name) as db, tempfile.TemporaryDirectory() as tmp:
        cases = Path(tmp) / "legacy.csv"
        risks = Path(tmp) / "risks.csv" if with_risks else None
        risk_count = write_legacy_csv(cases, rows, risks_path=risks)
        extra = ["--risks", str(risks)] if with_risks else []
        out = harness.manage("import_cases", str(cases), *extra, database=db, capture=True)
    return float(re.search(r"in ([\d.]+) s", out).group(1)), risk_count


def run(emit):
    rows = int(os.environ.get("IMPORT_ROWS", "100000"))
    seconds, risks = _import("msp_bench_import", rows, with_risks=True)
    emit("import.rows_per_second", rows / seconds, "rows/s")
    emit(f"import.seconds_{rows}", seconds, "s")
    emit(f"import.risks_{rows}", risks, "risks")
    if os.environ.get("IMPORT_VERSION1", "1") != "0":
        seconds, _ = _import("msp_bench_import_v1", rows, with_risks=False)
        emit("import.v1.rows_per_second", rows / seconds, "rows/s")
        emit(f"import.v1.seconds_{rows}", seconds, "s")
