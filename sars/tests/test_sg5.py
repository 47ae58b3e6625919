"""SG5 in the returns: the reviews concluded in the period and their people, counted from the
register's rows one by one here (not through `reporting.aggregation`) and compared with the
SAB CSV, the PDF and the submission workbook."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.factories import TeamFactory
from reporting.aggregation import SPECS, Period, aggregate_sars
from reporting.disclosure import SUPPRESSED
from reporting.pdf import pdf_text
from reporting.rendering import build_report, publish, tables_to_csv
from reporting.tests import scenario
from reporting.workbook import build_return
from sars.models import Decision, Harm, SafeguardingAdultsReview

from .factories import ReviewFactory, SarPersonFactory, concluded_review

pytestmark = pytest.mark.django_db

FY = Period(scenario.FY_START, scenario.FY_END)
IN_FY = (datetime.date(2024, 4, 1), datetime.date(2024, 9, 30), datetime.date(2025, 3, 31))


@pytest.fixture
def register():
    """Reviews concluded in the year (with and without a death, one with nobody recorded), and
    reviews that must not count: concluded the day before or after, not concluded, not proceeding."""
    died, survived = Harm.DIED, Harm.SURVIVED
    for index in range(9):  # enough reviews for their figures to be published rounded
        harms = [died, survived] if index % 3 == 0 else ([died] if index % 3 == 1 else [survived, survived])
        concluded_review(concluded_on=IN_FY[index % 3], harms=harms, statuses=["completed", "in_progress"])
    concluded_review(concluded_on=datetime.date(2024, 12, 1), harms=[], statuses=["not_started"])
    concluded_review(concluded_on=datetime.date(2024, 3, 31), harms=[died], statuses=["completed"])
    concluded_review(concluded_on=datetime.date(2025, 4, 1), harms=[died, died])
    SarPersonFactory(review=ReviewFactory(concluded_on=None), harm=died)
    SarPersonFactory(review=ReviewFactory(decision=Decision.NOT_PROCEED, decided_on=datetime.date(2024, 6, 1)))


def count_sg5_from_the_register(start, end):
    """SG5a, SG5b and the recommendations by status, walking every review and person in Python."""
    sg5a = {"died": 0, "no_death": 0}
    sg5b = {"died": 0, "survived": 0}
    statuses = {"not_started": 0, "in_progress": 0, "completed": 0}
    for review in SafeguardingAdultsReview.objects.all():
        if review.concluded_on is None or not start <= review.concluded_on <= end:
            continue
        harms = [person.harm for person in review.people.all()]
        sg5a["died" if "died" in harms else "no_death"] += 1
        for harm in harms:
            sg5b[harm] += 1
        for recommendation in review.recommendations.all():
            statuses[recommendation.status] += 1
    return {
        "sg5a_sars": {**{k: {"reviews": v} for k, v in sg5a.items()}, "total": {"reviews": sum(sg5a.values())}},
        "sg5b_people": {
            **{k: {"individuals": v} for k, v in sg5b.items()},
            "total": {"individuals": sum(sg5b.values())},
        },
        "sar_recommendations": {
            **{k: {"recommendations": v} for k, v in statuses.items()},
            "total": {"recommendations": sum(statuses.values())},
        },
    }


def test_sg5_counted_from_the_register_matches_the_aggregation(register):
    expected = count_sg5_from_the_register(FY.start, FY.end)
    assert expected["sg5a_sars"]["died"]["reviews"] == 6 and expected["sg5a_sars"]["no_death"]["reviews"] == 4
    assert expected["sg5b_people"]["survived"]["individuals"] == 9
    assert aggregate_sars(FY) == expected


def test_sg5_takes_three_queries_and_a_teams_report_has_none(register, django_assert_num_queries):
    with django_assert_num_queries(3):
        aggregate_sars(FY)
    assert aggregate_sars(FY, TeamFactory()) == {}


def test_the_unrounded_csv_carries_sg5_as_counted_from_the_register(register):
    scenario.build([TeamFactory()])
    expected = count_sg5_from_the_register(FY.start, FY.end)
    rows = list(csv.DictReader(io.StringIO(tables_to_csv(publish(FY).true))))
    found = {(r["table"], r["row"], r["column"]): int(r["value"]) for r in rows if r["table"] in expected}
    for table, table_rows in expected.items():
        for row, columns in table_rows.items():
            for column, value in columns.items():
                assert found[(table, row, column)] == value, (table, row, column)
    assert {(r["table"], r["row"]) for r in rows if r["table"] == "sg5a_sars"} == {
        ("sg5a_sars", code) for code in ("died", "no_death", "total")
    }


def test_the_published_sg5_figures_are_disclosure_controlled(register):
    scenario.build([TeamFactory()])
    published = publish(FY)
    csv_text = tables_to_csv(published.cells)
    for line in csv_text.splitlines():
        if line.startswith(("sg5a_sars", "sg5b_people", "sar_recommendations")):
            value = line.rsplit(",", 1)[1]
            assert value == SUPPRESSED or int(value) % 5 == 0, line
    # 6 reviews with a death (1 to 7) is never published as itself.
    assert published.value("sg5a_sars", "died", "reviews") == SUPPRESSED
    assert "sg5a_sars,died,reviews,6" not in csv_text


def test_a_period_with_too_few_adults_withholds_sg5_too(register):
    published = publish(FY)  # no cases at all: the report describes no adults
    assert published.value("sg5b_people", "total", "individuals") == SUPPRESSED


def test_the_pdf_has_a_sar_section_with_counts_and_no_names(register):
    scenario.build([TeamFactory()])
    SarPersonFactory(
        review=SafeguardingAdultsReview.objects.filter(concluded_on=IN_FY[0]).first(), name="Quillon Vexworth"
    )
    files = build_report(FY)
    text = pdf_text(files.pdf)
    assert "Safeguarding Adults Reviews (SG5)" in text
    assert SPECS["sg5a_sars"].title in text and SPECS["sar_recommendations"].title in text
    assert "Quillon" not in text and "Vexworth" not in text and "Synthetic Person" not in text
    assert "Quillon" not in files.csv


def test_the_submission_workbook_has_sg5_sheets_with_the_registers_figures(register):
    expected = count_sg5_from_the_register(FY.start, FY.end)
    book = load_workbook(io.BytesIO(build_return(FY).xlsx))
    assert book.sheetnames[-3:] == ["SG5a", "SG5b", "Checks"]
    for sheet, table, column in (("SG5a", "sg5a_sars", "reviews"), ("SG5b", "sg5b_people", "individuals")):
        rows = {row[0]: row[1] for row in book[sheet].iter_rows(values_only=True) if row and row[0]}
        for code, label in SPECS[table].rows:
            assert rows[label] == expected[table][code][column], (sheet, label)
        assert rows["Total"] == expected[table]["total"][column]


def test_a_review_concluded_today_counts_in_a_period_ending_today():
    today = timezone.localdate()
    concluded_review(concluded_on=today, harms=[Harm.SURVIVED])
    tables = aggregate_sars(Period(today, today))
    assert tables["sg5a_sars"]["no_death"]["reviews"] == 1 and tables["sg5b_people"]["survived"]["individuals"] == 1


def test_the_interchange_additions_list_exactly_the_rows_and_columns_of_the_sar_tables():
    import re
    from pathlib import Path

    from django.conf import settings

    from reporting.aggregation import SAR_TABLES

    text = (Path(settings.BASE_DIR) / "docs" / "interchange.md").read_text()
    for spec in SAR_TABLES:
        line = next(line for line in text.splitlines() if line.startswith(f"| `{spec.id}` |"))
        _, _table, _counts, rows, columns, _ = line.split("|")
        assert re.findall(r"`([^`]+)`", rows) == [code for code, _ in spec.rows]
        assert re.findall(r"`([^`]+)`", columns) == list(spec.columns)
