"""`aggregate_parts`: a period and all its parts in one go, each exactly what `aggregate` counts for it.

A SAB report controls a standard period against its parts (`reporting.periods.parts`), so it
aggregates a financial year with its four quarters and twelve months (and the previous year
with its own). `aggregate_parts` counts them all with four statements over the whole year, the
part a row falls in being one more thing grouped by; every table of every part must equal that
part's own `aggregate`, for the scenario's records and for random ones (ages turning over on a
part's last day, 29 February, concerns received either side of London midnight).
"""

import datetime
import os
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import TeamFactory
from cases.codes import EnquiryKind, Ethnicity, Gender, HealthCondition, SupportReason
from cases.tests.factories import CaseFactory, EnquiryFactory, PersonFactory
from reporting import periods
from reporting.aggregation import Period, aggregate, aggregate_parts
from reporting.tests import scenario
from reporting.tests.scenario import LONDON, create_risks, random_risks

FY = Period(scenario.FY_START, scenario.FY_END)
#: A financial year with a 29 February among its months' last days.
LEAP_FY = periods.financial_year(2023)


def _assert_each_part_equals_its_own_aggregate(period, team):
    together = aggregate_parts(period, team, parts=periods.parts)
    expected = {period} | {p for group in periods.parts(period) for p in group}
    assert set(together) == expected
    for part in expected:
        assert together[part] == aggregate(part, team), part


@pytest.fixture
def teams(db):
    teams = [TeamFactory(name="North Team"), TeamFactory(name="South Team")]
    scenario.build(teams)
    return teams


@pytest.mark.parametrize("scope", ["board", "team"])
@pytest.mark.parametrize("year", [FY, FY.previous()], ids=["2024-25", "2023-24"])
def test_every_part_of_the_scenarios_year_equals_its_own_aggregation(teams, scope, year):
    _assert_each_part_equals_its_own_aggregate(year, teams[1] if scope == "team" else None)


def test_a_quarter_and_its_months_and_a_month_alone(teams):
    quarter = periods.quarters_of(FY)[3]  # January to March, across the calendar year
    _assert_each_part_equals_its_own_aggregate(quarter, None)
    month = periods.month(datetime.date(2024, 10, 1))  # British Summer Time ends on 27 October
    assert aggregate_parts(month, parts=periods.parts) == {month: aggregate(month)}


def test_the_year_and_its_sixteen_parts_take_four_statements(teams):
    if connection.vendor != "postgresql":
        pytest.skip("one statement per period elsewhere")
    with CaptureQueriesContext(connection) as queries:
        aggregate_parts(FY, parts=periods.parts)
    assert len([q for q in queries.captured_queries if q["sql"].startswith("SELECT")]) == 4


class _Rollback(Exception):
    pass


#: Last days of LEAP_FY's months, quarters and year, where an age band can turn over.
_PART_ENDS = sorted({p.end for group in periods.parts(LEAP_FY) for p in group})


def _birthday(end, years, shift):
    """`shift` days from the birthday on which someone turns `years` on `end` (28 February for 29)."""
    day = end.replace(day=28) if (end.month, end.day) == (2, 29) else end
    return day.replace(year=day.year - years) + datetime.timedelta(days=shift)


_birthday_near_an_end = st.builds(
    _birthday,
    st.sampled_from(_PART_ENDS),
    st.sampled_from([64, 65, 74, 75, 84, 85, 94, 95]),
    st.integers(-2, 2),
)
_day = st.integers(min_value=-20, max_value=385).map(lambda n: LEAP_FY.start + datetime.timedelta(days=n))
_time = st.sampled_from([datetime.time(0, 0), datetime.time(0, 30), datetime.time(12), datetime.time(23, 30)])
_case = st.fixed_dictionaries(
    {
        "received": _day,
        "at": _time,
        "kind": st.sampled_from(["", EnquiryKind.S42, EnquiryKind.S42, EnquiryKind.OTHER_ENQUIRY]),
        "started_after": st.integers(0, 40),
        "concluded_after": st.one_of(st.none(), st.integers(0, 120)),
        "seed": st.integers(0, 1000),
    }
)
_adult = st.fixed_dictionaries(
    {
        "dob": st.one_of(
            st.none(), _birthday_near_an_end, st.dates(datetime.date(1920, 1, 1), datetime.date(2005, 1, 1))
        ),
        "gender": st.sampled_from(Gender.values),
        "ethnicity": st.sampled_from(Ethnicity.values),
        "support": st.sampled_from(SupportReason.values),
        "health": st.sampled_from(["", *HealthCondition.values]),
        "cases": st.lists(_case, min_size=1, max_size=4),
    }
)


def _write(adults, teams):
    for n, drawn in enumerate(adults):
        person = PersonFactory(
            date_of_birth=drawn["dob"],
            gender=drawn["gender"],
            ethnicity=drawn["ethnicity"],
            primary_support_reason=drawn["support"],
            health_condition=drawn["health"],
        )
        for c in drawn["cases"]:
            rng = random.Random(c["seed"])
            received = datetime.datetime.combine(c["received"], c["at"], tzinfo=LONDON)
            case = CaseFactory(person=person, team=teams[n % 2], received_at=received)
            concluded = None
            if c["kind"]:
                started = c["received"] + datetime.timedelta(days=c["started_after"])
                if c["concluded_after"] is not None:
                    concluded = started + datetime.timedelta(days=c["concluded_after"])
                answers = scenario._answers(rng) if concluded else {}
                EnquiryFactory(case=case, kind=c["kind"], started_on=started, concluded_on=concluded, **answers)
            create_risks(case, random_risks(rng, concluded=concluded is not None))


@settings(
    max_examples=int(os.environ.get("SG_RECOUNT_EXAMPLES", 15)),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_adult, min_size=1, max_size=8))
def test_every_part_equals_its_own_aggregation_for_random_records(db, adults):
    try:
        with transaction.atomic():
            teams = [TeamFactory(), TeamFactory()]
            _write(adults, teams)
            for team in (None, teams[0]):
                _assert_each_part_equals_its_own_aggregate(LEAP_FY, team)
            raise _Rollback
    except _Rollback:
        pass
