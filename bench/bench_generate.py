"""Synthetic data generation speed: GENERATE_CASES (default 20,000) cases into a scratch database."""

import os
import re

from bench import harness


def run(emit):
    cases = int(os.environ.get("GENERATE_CASES", "20000"))
    with harness.scratch_database("msp_bench_generate") as db:
        out = harness.manage("generate_demo_data", "--cases", str(cases), "--seed", "1", database=db, capture=True)
    seconds = float(re.search(r"in ([\d.]+) s", out).group(1))
    emit("generate.rows_per_second", cases / seconds, "cases/s")
