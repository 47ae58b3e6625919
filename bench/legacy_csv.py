"""Deterministic legacy-import CSV files (interchange v2) for benchmarks and load tests."""

import contextlib
import csv
import datetime
import random

from cases.importer import COLUMNS, OPTIONAL_COLUMNS, RISK_FILE_COLUMNS

ABUSE = ["neglect", "physical", "psychological", "financial", "self_neglect", "domestic", "organisational", "sexual"]
LOCATIONS = ["own_home", "care_home_residential", "care_home_nursing", "community", "hospital_acute", "other"]
SOURCES = ["service_provider", "known", "unknown"]
V1_OUTCOMES = ["removed", "reduced", "remains", "no_risk", "ceased"]
ASSESSMENTS = ["identified_action", "identified_no_action", "inconclusive_action", "no_risk_no_action"]
RESULTS = ["remained", "reduced", "removed"]
# About 1.4 risks per concern: a case with several risks has them in the risks file.
RISK_COUNTS = (1, 2, 3)
RISK_COUNT_WEIGHTS = (68, 24, 8)


def write_legacy_csv(path, rows, *, seed=1, today=None, risks_path=None, file_share=0.5):
    """Write `rows` valid cases: a mix of pending, no further action, open and concluded enquiries.

    With `risks_path`, a risks file too: every case with more than one risk, and `file_share` of
    the others, has its risks there; the rest carry their one risk on their own row (version 1).
    Returns the number of risks written (both files).
    """
    rng = random.Random(seed)
    today = today or datetime.date.today()
    risk_count = 0
    with open(path, "w", encoding="utf-8", newline="") as out, _open_or_none(risks_path) as risks_out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*COLUMNS, *OPTIONAL_COLUMNS])
        risk_writer = None
        if risks_out is not None:
            risk_writer = csv.writer(risks_out, lineterminator="\n")
            risk_writer.writerow(RISK_FILE_COLUMNS)
        for n in range(rows):
            ref = f"LEG-{seed}-{n:08d}"
            received = today - datetime.timedelta(days=rng.randrange(30, 3650))
            decision = rng.choices(["no_further_action", "s42", "other_enquiry", "pending"], weights=(50, 35, 10, 5))[0]
            decided = concluded = ""
            answers = ["", "", "", ""]
            if decision != "pending":
                decided_day = received + datetime.timedelta(days=rng.randint(0, 5))
                decided = decided_day.isoformat()
                if decision != "no_further_action" and rng.random() < 0.9:
                    concluded = (decided_day + datetime.timedelta(days=rng.randint(7, 25))).isoformat()
                    asked = rng.choice(["asked_expressed", "asked_not_expressed", "not_asked", "dont_know"])
                    capacity = rng.choice(["yes", "no", "dont_know", "not_recorded"])
                    answers = [
                        asked,
                        rng.choice(["fully", "partially", "not"]) if asked == "asked_expressed" else "",
                        capacity,
                        rng.choice(["yes", "no"]) if capacity == "yes" else "",
                    ]
            count = rng.choices(RISK_COUNTS, weights=RISK_COUNT_WEIGHTS)[0]
            in_file = risk_writer is not None and (count > 1 or rng.random() < file_share)
            if not in_file:
                count = 1
            row_risk = ["", "", "", ""]
            if in_file:
                _write_risks(risk_writer, rng, ref, count, concluded=bool(concluded))
            else:
                row_risk = [
                    ";".join(rng.sample(ABUSE, rng.choice((1, 1, 2, 3)))),
                    rng.choice(LOCATIONS),
                    rng.choice(SOURCES),
                    rng.choice(V1_OUTCOMES) if concluded else "",
                ]
            risk_count += count
            born = received - datetime.timedelta(days=rng.randint(18 * 365, 100 * 365))
            writer.writerow(
                [
                    ref,
                    f"PER-{seed}-{rng.randrange(max(1, rows * 8 // 10)):08d}",
                    rng.choice(["Legacy North", "Legacy South", "Legacy Hospital"]),
                    born.isoformat() if rng.random() < 0.95 else "",
                    rng.choice(["female", "male", "unknown"]),
                    rng.choice(["white", "asian", "black", "mixed", "unknown"]),
                    rng.choice(["physical", "mental_health", "learning_disability", "memory_cognition", "unknown"]),
                    received.isoformat(),
                    decision,
                    decided,
                    concluded,
                    *row_risk,
                    *answers,
                    rng.choices(["", "autism", "asperger"], weights=(96, 3, 1))[0],
                ]
            )
    return risk_count


def _write_risks(writer, rng, ref, count, *, concluded):
    ceased = concluded and rng.random() < 0.05
    for _ in range(count):
        assessment = result = ""
        if ceased:
            assessment = "ceased"
        elif concluded:
            assessment = rng.choice(ASSESSMENTS)
            if assessment.startswith("identified"):
                result = rng.choice(RESULTS)
        writer.writerow(
            [
                ref,
                ";".join(rng.sample(ABUSE, rng.choice((1, 1, 1, 2)))),
                rng.choice(LOCATIONS),
                rng.choice(SOURCES),
                assessment,
                result,
            ]
        )


def _open_or_none(path):
    return open(path, "w", encoding="utf-8", newline="") if path else contextlib.nullcontext()
