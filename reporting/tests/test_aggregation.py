import csv
import datetime
import io

import pytest
from django.db import connection

from accounts.tests.factories import TeamFactory
from cases.tests.factories import CaseFactory, EnquiryFactory, PersonFactory
from reporting.aggregation import ALL_TABLES, Period, aggregate, last_complete_financial_year, monthly_trend
from reporting.rendering import tables_to_csv
from reporting.tests import scenario
from reporting.tests.scenario import RiskRecord, create_risks

FY = Period(scenario.FY_START, scenario.FY_END)
LONDON = scenario.LONDON


def _csv_cells(text):
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "row", "column", "value"]
    return {(t, r, c): int(v) for t, r, c, v in rows[1:]}


def _expected_cells(expected):
    return {
        (table, row, column): value
        for table, rows in expected.items()
        for row, columns in rows.items()
        for column, value in columns.items()
        if (table, row) != ("sg1f_totals", "total")  # kept for disclosure control, never published
    }


@pytest.fixture
def records(db):
    teams = [TeamFactory(name="North Team"), TeamFactory(name="South Team")]
    return teams, scenario.build(teams)


def test_every_csv_cell_matches_the_counts_worked_out_from_the_records(records):
    teams, built = records
    cells = _csv_cells(tables_to_csv(aggregate(FY)))
    expected = _expected_cells(scenario.expected_tables(built))
    assert cells == expected
    assert cells[("concerns", "total", "concerns")] > 20  # the scenario is not trivially empty
    assert cells[("msp_asked", "total", "enquiries")] > 5


def test_a_team_report_counts_only_that_teams_records(records):
    teams, built = records
    cells = _csv_cells(tables_to_csv(aggregate(FY, teams[1])))
    assert cells == _expected_cells(scenario.expected_tables(built, team=teams[1]))


def test_the_previous_year_is_counted_the_same_way(records):
    teams, built = records
    previous = FY.previous()
    assert previous == Period(datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    cells = _csv_cells(tables_to_csv(aggregate(previous)))
    assert cells == _expected_cells(scenario.expected_tables(built, previous.start, previous.end))


def test_every_listed_row_code_appears_in_the_csv_even_with_no_records(db):
    cells = _csv_cells(tables_to_csv(aggregate(FY)))
    for spec in ALL_TABLES:
        for code, _ in spec.rows:
            for column in spec.columns:
                assert cells[(spec.id, code, column)] == 0
    assert cells[("s42_started_by_age", "95+", "individuals")] == 0
    assert cells[("advocacy", "not_recorded", "enquiries")] == 0


def _s42(person=None, *, started, concluded=None, risks=None, **answers):
    case = CaseFactory(person=person or PersonFactory(), received_at=_london(started))
    create_risks(case, risks or [RiskRecord(["financial"], "own_home", "known")])
    return EnquiryFactory(case=case, kind="s42", started_on=started, concluded_on=concluded, **answers)


def _risk(types=("financial",), location="own_home", source="known", assessment="identified_action", result="reduced"):
    return RiskRecord(list(types), location, source, assessment, result)


def _london(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def test_an_enquiry_started_in_one_year_and_concluded_in_the_next_counts_in_each_year_once(db):
    _s42(started=datetime.date(2024, 2, 10), concluded=datetime.date(2024, 6, 1), risks=[_risk()])
    earlier, later = aggregate(FY.previous()), aggregate(FY)
    assert earlier["enquiries_started"]["s42"]["enquiries"] == 1
    assert earlier["sg2e_result"]["total"]["enquiries"] == 0
    assert later["enquiries_started"]["s42"]["enquiries"] == 0
    assert later["sg2e_result"]["reduced"]["enquiries"] == 1
    assert later["sg2c_risk_assessment"]["identified_action"]["enquiries"] == 1


def test_an_enquiry_with_several_abuse_types_counts_in_each_type_row_but_once_in_the_total(db):
    _s42(started=datetime.date(2024, 5, 1), concluded=datetime.date(2024, 7, 1), risks=[_risk(("physical", "neglect"))])
    tables = aggregate(FY)
    assert tables["concluded_by_type"]["physical"]["enquiries"] == 1
    assert tables["concluded_by_type"]["neglect"]["enquiries"] == 1
    assert tables["concluded_by_type"]["total"]["enquiries"] == 1


def test_an_enquiry_counts_once_in_each_cell_that_applies_across_its_risks(db):
    risks = [
        _risk(("physical",), "own_home", "known", "identified_action", "reduced"),
        _risk(("physical", "financial"), "care_home_nursing", "known", "identified_no_action", "remained"),
        _risk(("financial",), "own_home", "service_provider", "no_risk_no_action", ""),
    ]
    _s42(started=datetime.date(2024, 5, 1), concluded=datetime.date(2024, 7, 1), risks=risks)
    tables = aggregate(FY)
    # Two risks of type physical with source "known": one enquiry in that cell.
    assert tables["sg2a_type_by_source"]["physical"]["known"] == 1
    assert tables["sg2a_type_by_source"]["financial"] == {"service_provider": 1, "known": 1, "unknown": 0}
    assert tables["sg2a_type_by_source"]["total"] == {"service_provider": 1, "known": 1, "unknown": 0}
    assert tables["sg2b_location_by_source"]["own_home"] == {"service_provider": 1, "known": 1, "unknown": 0}
    assert tables["sg2ab_type_by_location"]["physical"]["care_home_nursing"] == 1
    assert tables["concluded_by_location"]["own_home"]["enquiries"] == 1
    assert tables["concluded_by_location"]["care_home_nursing"]["enquiries"] == 1
    assert tables["concluded_by_source"]["known"]["enquiries"] == 1
    assert tables["concluded_by_source"]["total"]["enquiries"] == 1
    assert tables["sg2c_risk_assessment"]["identified_action"]["enquiries"] == 1
    assert tables["sg2c_risk_assessment"]["no_risk_no_action"]["enquiries"] == 1
    assert tables["sg2c_risk_assessment"]["total"]["enquiries"] == 1
    assert tables["sg2e_result"]["reduced"]["enquiries"] == 1
    assert tables["sg2e_result"]["remained"]["enquiries"] == 1
    assert tables["sg2e_result"]["total"]["enquiries"] == 1


def test_sg1_counts_concerns_and_both_kinds_of_enquiry_with_adults_once_and_cases_each_time(db):
    person = PersonFactory(gender="male", primary_support_reason="sensory", health_condition="autism")
    _s42(person, started=datetime.date(2024, 5, 1))
    _s42(person, started=datetime.date(2024, 9, 1))
    other = CaseFactory(person=person, received_at=_london(datetime.date(2024, 10, 1)))
    EnquiryFactory(case=other, kind="other_enquiry", started_on=datetime.date(2024, 10, 2))
    tables = aggregate(FY)
    assert tables["sg1b_gender"]["male"] == {"concerns": 1, "s42": 1, "other_enquiry": 1}
    assert tables["sg1d_support_reason"]["sensory"] == {"concerns": 3, "s42": 2, "other_enquiry": 1}
    assert tables["sg1e_health_condition"]["autism"] == {"concerns": 3, "s42": 2, "other_enquiry": 1}
    assert tables["sg1f_totals"]["concerns"] == {"cases": 3, "individuals": 1}
    assert tables["sg1f_totals"]["s42"] == {"cases": 2, "individuals": 1}


def test_a_person_with_two_enquiries_counts_once_in_demographics_and_twice_by_support_reason(db):
    person = PersonFactory(gender="female", ethnicity="asian", primary_support_reason="sensory")
    _s42(person, started=datetime.date(2024, 5, 1))
    _s42(person, started=datetime.date(2024, 11, 1))
    tables = aggregate(FY)
    assert tables["enquiries_started"]["s42"] == {"enquiries": 2, "individuals": 1}
    assert tables["s42_started_by_gender"]["female"]["individuals"] == 1
    assert tables["s42_started_by_ethnicity"]["asian"]["individuals"] == 1
    assert tables["s42_started_by_age"]["total"]["individuals"] == 1
    assert tables["s42_started_by_support_reason"]["sensory"]["enquiries"] == 2


def test_age_is_the_age_on_the_last_day_of_the_period(db):
    _s42(PersonFactory(date_of_birth=datetime.date(1960, 3, 31)), started=datetime.date(2024, 5, 1))  # 65 on 31 Mar
    _s42(PersonFactory(date_of_birth=datetime.date(1960, 4, 1)), started=datetime.date(2024, 5, 1))  # 64 on 31 Mar
    _s42(PersonFactory(date_of_birth=datetime.date(1929, 6, 1)), started=datetime.date(2024, 5, 1))  # 95
    _s42(PersonFactory(date_of_birth=None), started=datetime.date(2024, 5, 1))
    ages = {band: row["individuals"] for band, row in aggregate(FY)["s42_started_by_age"].items()}
    assert ages == {"18-64": 1, "65-74": 1, "75-84": 0, "85-94": 0, "95+": 1, "unknown": 1, "total": 4}


def test_age_bands_handle_a_29_february_birthday(db):
    _s42(PersonFactory(date_of_birth=datetime.date(1956, 2, 29)), started=datetime.date(2021, 1, 5))
    # On 28 February 2021 someone born on 29 February 1956 is still 64.
    tables = aggregate(Period(datetime.date(2020, 3, 1), datetime.date(2021, 2, 28)))
    assert tables["s42_started_by_age"]["18-64"]["individuals"] == 1


def test_concerns_are_counted_by_their_london_date(db):
    # 23:30 UTC on 31 March 2025 is 00:30 on 1 April in London (summer time): next year.
    CaseFactory(received_at=datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC))
    # 23:30 UTC on 31 March 2024 is 00:30 on 1 April 2024 in London: this year.
    CaseFactory(received_at=datetime.datetime(2024, 3, 31, 23, 30, tzinfo=datetime.UTC))
    assert aggregate(FY)["concerns"]["total"]["concerns"] == 1
    assert aggregate(Period(datetime.date(2025, 4, 1), datetime.date(2025, 4, 1)))["concerns"]["total"]["concerns"] == 1


def test_imported_and_native_records_count_alike(db):
    native = _s42(
        started=datetime.date(2024, 6, 1),
        concluded=datetime.date(2024, 8, 1),
        asked_desired_outcomes="asked_expressed",
        outcomes_achieved="fully",
    )
    imported = _s42(
        started=datetime.date(2024, 6, 1),
        concluded=datetime.date(2024, 8, 1),
        asked_desired_outcomes="asked_expressed",
        outcomes_achieved="fully",
    )
    type(imported.case).objects.filter(pk=imported.case.pk).update(imported=True)
    assert not native.case.imported
    tables = aggregate(FY)
    assert tables["msp_achieved"]["fully"]["enquiries"] == 2
    assert tables["concerns"]["total"]["concerns"] == 2


def test_blank_answers_on_concluded_enquiries_map_to_not_recorded_or_the_total_only(db):
    _s42(
        started=datetime.date(2024, 5, 1),
        concluded=datetime.date(2024, 6, 1),
        asked_desired_outcomes="asked_expressed",
        outcomes_achieved="",
        lacked_capacity="yes",
        advocacy="",
        risks=[_risk(assessment="", result="")],
    )
    tables = aggregate(FY)
    assert tables["msp_asked"]["asked_expressed"]["enquiries"] == 1
    assert tables["msp_achieved"]["total"]["enquiries"] == 1
    assert sum(tables["msp_achieved"][code]["enquiries"] for code in ("fully", "partially", "not")) == 0
    assert tables["advocacy"]["not_recorded"]["enquiries"] == 1
    assert sum(row["enquiries"] for code, row in tables["sg2c_risk_assessment"].items() if code != "total") == 0
    assert tables["sg2c_risk_assessment"]["total"]["enquiries"] == 1
    assert tables["not_recorded"]["risk_assessment"]["enquiries"] == 1
    assert tables["not_recorded"]["msp_achieved"]["enquiries"] == 1


def test_achievement_counts_only_where_outcomes_were_expressed_and_advocacy_only_where_capacity_lacked(db):
    _s42(
        started=datetime.date(2024, 5, 1),
        concluded=datetime.date(2024, 6, 1),
        asked_desired_outcomes="asked_not_expressed",
        outcomes_achieved="fully",
        lacked_capacity="no",
        advocacy="yes",
    )
    tables = aggregate(FY)
    assert tables["msp_achieved"]["fully"]["enquiries"] == 0
    assert tables["advocacy"]["yes"]["enquiries"] == 0
    assert tables["capacity"]["no"]["enquiries"] == 1


def test_monthly_trend_has_every_month_of_the_period(db):
    _s42(started=datetime.date(2024, 4, 1))
    trend = monthly_trend(FY)
    assert len(trend) == 12
    assert trend[0] == (datetime.date(2024, 4, 1), 1, 1)
    assert trend[5] == (datetime.date(2024, 9, 1), 0, 0)


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (datetime.date(2025, 6, 1), datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 3, 31), datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)),
        (datetime.date(2025, 4, 1), datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
    ],
)
def test_the_default_period_is_the_last_complete_financial_year(today, start, end):
    assert last_complete_financial_year(today) == Period(start, end)


def test_the_previous_period_of_an_odd_range_is_the_same_number_of_days_before():
    period = Period(datetime.date(2024, 5, 10), datetime.date(2024, 5, 19))
    assert period.previous() == Period(datetime.date(2024, 4, 30), datetime.date(2024, 5, 9))


def test_aggregation_runs_a_fixed_number_of_queries(records):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        aggregate(FY)
    statements = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert len(statements) == (4 if connection.vendor == "postgresql" else 11)


@pytest.mark.parametrize("scope", ["board", "team"])
def test_the_risk_tables_from_the_cases_facts_equal_those_from_the_risk_records(records, scope):
    # PostgreSQL counts the SG2 tables in one statement over the cases' facts rows (kept by
    # triggers: reporting/facts.py); the embedded SQLite default counts the risk records, one
    # statement per grouping. Both must give the same figures, to the cell.
    from reporting.aggregation import (
        _count_risk_cells,
        _count_risk_outcomes,
        _count_risks_from_facts,
        _empty_tables,
        _risk_groups_by_statement,
    )

    if connection.vendor != "postgresql":
        pytest.skip("the facts are kept on PostgreSQL")
    team = records[0][0] if scope == "team" else None
    by_statement = _risk_groups_by_statement(FY, team)
    assert by_statement["type_source"] and by_statement["total"][()] > 0
    from_records, from_facts = _empty_tables(), _empty_tables()
    for tables in (from_records, from_facts):
        tables["msp_asked"]["total"]["enquiries"] = 7  # the concluded total the margins read
    _count_risk_cells(from_records, FY, team)
    _count_risk_outcomes(from_records, FY, team)
    _count_risks_from_facts(from_facts, FY, team)
    assert from_facts == from_records
    assert from_facts["sg2a_type_by_source"]["total"] != dict.fromkeys(from_facts["sg2a_type_by_source"]["total"], 0)
