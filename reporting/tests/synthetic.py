"""Random synthetic records and their publications, in plain Python (no database), for property tests.

The records are `scenario.Record`s and the tables are counted by `scenario.expected_tables`
(the record-by-record counting that `test_aggregation.py` checks against the SQL), so a
property that holds here holds for the tables the database produces.
"""

import datetime
import random

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
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from reporting import disclosure, periods
from reporting.tests.scenario import Record, expected_tables, random_risks

YEAR = periods.financial_year(2024)


def _pick(rng, values, spread):
    """A value from the first `spread` values: small spreads make one-category tables common."""
    return rng.choice(list(values)[: max(1, spread)])


def records(seed, *, people, spread, start=YEAR.start, days=365, blanks=True):
    """`people` adults with 1–2 concerns each in the `days` from `start` (`blanks`: with the
    occasional gap a lead must put right, see `scenario.random_risks`)."""
    rng = random.Random(seed)
    out = []
    for person_id in range(people):
        dob = None if rng.random() < 0.1 else datetime.date(rng.randint(1925, 2000), rng.randint(1, 12), 1)
        gender, ethnicity = _pick(rng, Gender.values, spread), _pick(rng, Ethnicity.values, spread)
        support = _pick(rng, SupportReason.values, spread)
        health = _pick(rng, ["", *HealthCondition.values], spread)
        for _ in range(rng.choice([1, 1, 2])):
            received = start + datetime.timedelta(days=rng.randrange(days))
            record = Record(
                team=None,
                person_id=person_id,
                dob=dob,
                gender=gender,
                ethnicity=ethnicity,
                support=support,
                health=health,
                received_local=received,
                risks=[],
            )
            if rng.random() < 0.85:
                record.kind = EnquiryKind.S42 if rng.random() < 0.8 else EnquiryKind.OTHER_ENQUIRY
                record.started_on = received + datetime.timedelta(days=rng.randint(0, 10))
                if rng.random() < 0.8:
                    record.concluded_on = record.started_on + datetime.timedelta(days=rng.randint(0, 60))
                    record.answers = _answers(rng, spread)
            record.risks = random_risks(
                rng,
                concluded=record.concluded_on is not None,
                types=list(AbuseType.values)[: max(2, spread)],
                locations=list(LocationOfRisk.values)[: max(1, spread)],
                sources=list(SourceOfRisk.values)[: max(1, spread)],
                assessments=list(RiskAssessment.values)[: max(1, spread)],
                blanks=blanks,
            )
            out.append(record)
    return out


def _answers(rng, spread):
    return {
        "asked_desired_outcomes": _pick(rng, AskedDesiredOutcomes.values, spread),
        "outcomes_achieved": _pick(rng, OutcomesAchieved.values, spread),
        "lacked_capacity": _pick(rng, YesNoUnknown.values, spread),
        "advocacy": _pick(rng, YesNoUnknown.values, spread),
    }


def tables(records_, period):
    counted = expected_tables(records_, period.start, period.end)
    return {table: {row: dict(columns) for row, columns in rows.items()} for table, rows in counted.items()}


def population(records_, period):
    def inside(day):
        return day is not None and period.start <= day <= period.end

    people = {r.person_id for r in records_ if inside(r.received_local)}
    people |= {r.person_id for r in records_ if r.kind and inside(r.started_on)}
    people |= {r.person_id for r in records_ if r.kind == EnquiryKind.S42 and inside(r.concluded_on)}
    return len(people)


def publish(records_, period, cache):
    """The publication of a board-area period, as `reporting.rendering.publish` builds it."""
    if period not in cache:
        parts = [[publish(records_, part, cache) for part in group] for group in periods.parts(period)]
        cache[period] = disclosure.control(
            tables(records_, period), population=population(records_, period), parts=parts
        )
    return cache[period]
