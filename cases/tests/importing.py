"""Helpers for building legacy import CSV files in tests."""

import csv
import io

from cases.importer import COLUMNS, RISK_FILE_COLUMNS

CLOSED_S42 = {
    "case_ref": "OLD-1",
    "person_ref": "P-100",
    "team": "Legacy East Team",
    "date_of_birth": "1938-04-02",
    "gender": "female",
    "ethnicity": "white",
    "primary_support_reason": "physical",
    "concern_received": "2023-01-10",
    "decision": "s42",
    "decision_date": "2023-01-12",
    "enquiry_concluded": "2023-03-01",
    "abuse_types": "financial;psychological",
    "location_of_risk": "own_home",
    "source_of_risk": "known",
    "risk_outcome": "reduced",
    "asked_desired_outcomes": "asked_expressed",
    "outcomes_achieved": "partially",
    "lacked_capacity": "yes",
    "advocacy": "yes",
}
NO_ANSWERS = dict.fromkeys(
    ["enquiry_concluded", "risk_outcome", "asked_desired_outcomes", "outcomes_achieved", "lacked_capacity", "advocacy"],
    "",
)


# A case whose risks are in the risks file: the version-1 risk columns of its row are empty.
ROW_RISK = dict.fromkeys(["abuse_types", "location_of_risk", "source_of_risk", "risk_outcome"], "")

# One row of the risks file (version 2), a risk of CLOSED_S42's concluded enquiry.
RISK = {
    "case_ref": "OLD-1",
    "types": "financial",
    "location": "own_home",
    "source": "known",
    "assessment": "identified_action",
    "result": "reduced",
}


def row(**overrides):
    return {**CLOSED_S42, **overrides}


def open_enquiry(**overrides):
    return {**CLOSED_S42, **NO_ANSWERS, **overrides}


def pending(**overrides):
    return {**CLOSED_S42, **NO_ANSWERS, "decision": "pending", "decision_date": "", **overrides}


def no_further_action(**overrides):
    return {**CLOSED_S42, **NO_ANSWERS, "decision": "no_further_action", **overrides}


def with_file_risks(case_row, **overrides):
    """`case_row` with its version-1 risk columns emptied: its risks are in the risks file."""
    return {**case_row, **ROW_RISK, **overrides}


def risk(**overrides):
    return {**RISK, **overrides}


def unassessed_risk(**overrides):
    """A risk of an enquiry that has not concluded (or of a concern without one)."""
    return {**RISK, "assessment": "", "result": "", **overrides}


def risks_text(rows, columns=RISK_FILE_COLUMNS):
    return csv_text(rows, columns=columns)


def csv_text(rows, columns=COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
