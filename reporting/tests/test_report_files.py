import csv
import io
import re

import pytest

from accounts.tests.factories import TeamFactory
from reporting.aggregation import TABLES, Period
from reporting.pdf import pdf_text
from reporting.rendering import build_report, file_names
from reporting.tests import scenario

FY = Period(scenario.FY_START, scenario.FY_END)


@pytest.fixture
def report(db):
    teams = [TeamFactory(name="North Team"), TeamFactory(name="South Team")]
    scenario.build(teams)
    return build_report(FY, unrounded=True)


def test_the_published_csv_has_no_count_from_1_to_7_and_every_other_is_a_multiple_of_5(report):
    rows = list(csv.DictReader(io.StringIO(report.csv)))
    assert list(rows[0]) == ["table", "row", "column", "value"]
    values = [row["value"] for row in rows]
    assert "*" in values
    for value in values:
        assert value == "*" or int(value) % 5 == 0


def test_the_csv_lists_every_table_and_row_code_of_the_contract(report):
    present = {(row["table"], row["row"], row["column"]) for row in csv.DictReader(io.StringIO(report.csv))}
    for spec in TABLES:
        for code, _ in spec.rows:
            for column in spec.columns:
                assert (spec.id, code, column) in present


def test_the_unrounded_csv_has_the_same_cells_with_true_counts(report):
    published = list(csv.reader(io.StringIO(report.csv)))
    unrounded = list(csv.reader(io.StringIO(report.csv_unrounded)))
    assert [row[:3] for row in published] == [row[:3] for row in unrounded]
    assert any(row[3] in {"1", "2", "3", "4", "6", "7"} for row in unrounded[1:])


def test_the_pdf_has_summary_tables_charts_notes_page_numbers_and_the_disclosure_note(report):
    text = pdf_text(report.pdf)
    assert "Making Safeguarding Personal: summary" in text
    assert "concluded section 42 enquiries" in text or "section 42 enquiries were concluded" in text
    for spec in TABLES:
        assert spec.title in " ".join(text.split())
    assert "Previous period" in text
    assert "Disclosure control" in text
    assert "every count from 1 to 7 is shown as *" in " ".join(text.split())
    assert "Financial year 2024-25" in text
    assert "Definitions and data notes" in text
    assert "Page 1 of" in text
    assert "1 April 2024 to 31 March 2025" in text
    assert "Whole board area" in text
    assert b"<svg" not in report.pdf  # charts are drawn into the PDF, not embedded as text


def test_no_personal_data_reaches_the_report(report):
    text = pdf_text(report.pdf)
    assert "Testperson" not in text and "Tess" not in text
    assert "TEST-" not in text  # no case references


def test_file_names_say_which_csv_is_unrounded():
    names = file_names(FY, None)
    assert names["csv_unrounded"].endswith("_UNROUNDED.csv")
    assert "UNROUNDED" not in names["csv"] and "UNROUNDED" not in names["pdf"]


def test_a_withheld_table_says_too_few_to_show_in_the_pdf_and_is_all_stars_in_the_csv(report):
    rows = list(csv.DictReader(io.StringIO(report.csv)))
    by_table = {}
    for row in rows:
        by_table.setdefault(row["table"], set()).add(row["value"])
    withheld = [table for table, values in by_table.items() if values == {"*"}]
    assert withheld  # the scenario is small: some tables are withheld
    assert "Too few to show" in pdf_text(report.pdf)


def test_every_percentage_in_the_pdf_is_a_whole_number(report):
    # Every percentage in the PDF is a whole number (no decimal point before a % sign).
    text = pdf_text(report.pdf)
    assert not re.search(r"\d\.\d%", text)
