"""Property test: random sets of risk records, recounted independently, agree with the SQL aggregation in every SG cell.

Hypothesis draws adults, their concerns, enquiries and 1–3 risks each (types, location,
source, assessment, result, with the gaps a lead must put right) and writes them to the
database; `reporting.aggregation.aggregate()` must then give, in every cell of every SG table
(and of the one-way type, location and source tables they share margins with), exactly what
`scenario.expected_tables()` counts record by record in plain Python.
"""

import datetime
import os

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.codes import (
    AbuseType,
    AskedDesiredOutcomes,
    EnquiryKind,
    Ethnicity,
    Gender,
    HealthCondition,
    LocationOfRisk,
    OutcomesAchieved,
    RiskAssessment,
    RiskResult,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from cases.tests.factories import CaseFactory, EnquiryFactory, PersonFactory
from reporting.aggregation import SG_TABLES, Period, aggregate
from reporting.tests.scenario import FY_END, FY_START, LONDON, Record, RiskRecord, create_risks, expected_tables

FY = Period(FY_START, FY_END)
TABLES = [spec.id for spec in SG_TABLES] + ["concluded_by_type", "concluded_by_location", "concluded_by_source"]

risk = st.builds(
    RiskRecord,
    types=st.lists(st.sampled_from(AbuseType.values), min_size=0, max_size=3, unique=True),
    location=st.sampled_from(LocationOfRisk.values),
    source=st.sampled_from(SourceOfRisk.values),
    assessment=st.sampled_from(["", *RiskAssessment.values]),
    result=st.sampled_from(["", *RiskResult.values]),
)
day = st.integers(min_value=-60, max_value=420).map(lambda n: FY_START + datetime.timedelta(days=n))
case = st.fixed_dictionaries(
    {
        "received": day,
        "kind": st.sampled_from(["", EnquiryKind.S42, EnquiryKind.S42, EnquiryKind.OTHER_ENQUIRY]),
        "started_after": st.integers(0, 30),
        "concluded_after": st.one_of(st.none(), st.integers(0, 200)),
        "risks": st.lists(risk, min_size=1, max_size=3),
        "asked": st.sampled_from(AskedDesiredOutcomes.values),
        "achieved": st.sampled_from(["", *OutcomesAchieved.values]),
        "lacked": st.sampled_from(YesNoUnknown.values),
        "advocacy": st.sampled_from(YesNoUnknown.values),
    }
)
adult = st.fixed_dictionaries(
    {
        "dob": st.one_of(st.none(), st.dates(datetime.date(1920, 1, 1), datetime.date(2005, 12, 31))),
        "gender": st.sampled_from(Gender.values),
        "ethnicity": st.sampled_from(Ethnicity.values),
        "support": st.sampled_from(SupportReason.values),
        "health": st.sampled_from(["", *HealthCondition.values]),
        "cases": st.lists(case, min_size=1, max_size=3),
    }
)


class _Rollback(Exception):
    pass


def _write(adults):
    records = []
    for drawn in adults:
        person = PersonFactory(
            date_of_birth=drawn["dob"],
            gender=drawn["gender"],
            ethnicity=drawn["ethnicity"],
            primary_support_reason=drawn["support"],
            health_condition=drawn["health"],
        )
        for c in drawn["cases"]:
            row = CaseFactory(
                person=person, received_at=datetime.datetime.combine(c["received"], datetime.time(12), tzinfo=LONDON)
            )
            # A result only where a risk was identified is a database constraint: keep the draw valid.
            risks = [
                RiskRecord(k.types, k.location, k.source, k.assessment,
                           k.result if k.assessment.startswith("identified") else "")
                for k in c["risks"]
            ]  # fmt: skip
            record = Record(
                team=row.team,
                person_id=person.pk,
                dob=drawn["dob"],
                gender=drawn["gender"],
                ethnicity=drawn["ethnicity"],
                support=drawn["support"],
                health=drawn["health"],
                received_local=c["received"],
                risks=risks,
            )
            if c["kind"]:
                started = c["received"] + datetime.timedelta(days=c["started_after"])
                concluded = (
                    None if c["concluded_after"] is None else started + datetime.timedelta(days=c["concluded_after"])
                )
                answers = {}
                if concluded:
                    answers = {
                        "asked_desired_outcomes": c["asked"],
                        "outcomes_achieved": c["achieved"],
                        "lacked_capacity": c["lacked"],
                        "advocacy": c["advocacy"],
                    }
                else:  # an open enquiry's risks have no outcome yet
                    for k in risks:
                        k.assessment, k.result = "", ""
                EnquiryFactory(case=row, kind=c["kind"], started_on=started, concluded_on=concluded, **answers)
                record.kind, record.started_on, record.concluded_on, record.answers = (
                    c["kind"],
                    started,
                    concluded,
                    answers,
                )
            create_risks(row, risks)
            records.append(record)
    return records


@settings(
    max_examples=int(os.environ.get("SG_RECOUNT_EXAMPLES", 20)),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(adult, min_size=1, max_size=8))
def test_every_sg_cell_equals_an_independent_recount_of_random_risk_records(db, adults):
    try:
        with transaction.atomic():
            records = _write(adults)
            tables = aggregate(FY)
            expected = expected_tables(records)
            for table in TABLES:
                for row, columns in expected[table].items():
                    for column, value in columns.items():
                        assert tables[table][row][column] == value, (table, row, column)
                assert set(tables[table]) == set(expected[table]), table
            raise _Rollback
    except _Rollback:
        pass
