"""Deterministic legacy-import CSV files for benchmarks and load tests."""

import csv
import datetime
import random

from cases.importer import COLUMNS

ABUSE = ["neglect", "physical", "psychological", "financial", "self_neglect", "domestic", "organisational", "sexual"]
LOCATIONS = ["own_home", "care_home_residential", "care_home_nursing", "community", "hospital_acute", "other"]


def write_legacy_csv(path, rows, *, seed=1, today=None):
    """Write `rows` valid rows: a mix of pending, no further action, open and concluded enquiries."""
    rng = random.Random(seed)
    today = today or datetime.date.today()
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for n in range(rows):
            received = today - datetime.timedelta(days=rng.randrange(30, 3650))
            decision = rng.choices(["no_further_action", "s42", "other_enquiry", "pending"], weights=(50, 35, 10, 5))[0]
            decided = concluded = ""
            answers = ["", "", "", "", ""]
            if decision != "pending":
                decided_day = received + datetime.timedelta(days=rng.randint(0, 5))
                decided = decided_day.isoformat()
                if decision != "no_further_action" and rng.random() < 0.9:
                    concluded = (decided_day + datetime.timedelta(days=rng.randint(7, 25))).isoformat()
                    asked = rng.choice(["asked_expressed", "asked_not_expressed", "not_asked", "dont_know"])
                    capacity = rng.choice(["yes", "no", "dont_know", "not_recorded"])
                    answers = [
                        rng.choice(["removed", "reduced", "remains", "no_risk", "ceased"]),
                        asked,
                        rng.choice(["fully", "partially", "not"]) if asked == "asked_expressed" else "",
                        capacity,
                        rng.choice(["yes", "no"]) if capacity == "yes" else "",
                    ]
            born = received - datetime.timedelta(days=rng.randint(18 * 365, 100 * 365))
            writer.writerow(
                [
                    f"LEG-{seed}-{n:08d}",
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
                    ";".join(rng.sample(ABUSE, rng.choice((1, 1, 2, 3)))),
                    rng.choice(LOCATIONS),
                    rng.choice(["service_provider", "known", "unknown"]),
                    *answers,
                ]
            )
