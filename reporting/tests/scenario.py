"""A mixed set of synthetic records and the report figures computed from them in plain Python.

The plain-Python counting here is deliberately independent of `reporting.aggregation`: it
walks the records the test created, one by one, and applies the counting rules of
`sac-reference.md` directly.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from cases.codes import (
    AbuseType,
    AskedDesiredOutcomes,
    EnquiryKind,
    Ethnicity,
    Gender,
    LocationOfRisk,
    OutcomesAchieved,
    RiskOutcome,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from cases.tests.factories import CaseFactory, EnquiryFactory, PersonFactory

LONDON = ZoneInfo("Europe/London")
FY_START = datetime.date(2024, 4, 1)
FY_END = datetime.date(2025, 3, 31)


@dataclass
class Record:
    team: object
    person_id: int
    dob: object
    gender: str
    ethnicity: str
    support: str
    received_local: datetime.date
    location: str
    source: str
    abuse: list
    kind: str = ""
    started_on: object = None
    concluded_on: object = None
    answers: dict = field(default_factory=dict)


def _age(dob, on_day):
    return on_day.year - dob.year - ((on_day.month, on_day.day) < (dob.month, dob.day))


def age_band(dob, on_day):
    if dob is None:
        return "unknown"
    age = _age(dob, on_day)
    for band, lowest in (("95+", 95), ("85-94", 85), ("75-84", 75), ("65-74", 65)):
        if age >= lowest:
            return band
    return "18-64"


def build(teams, *, seed=7, people=45):
    """Create people with 0–3 cases each around FY 2024-25, native and imported; return the Records."""
    rng = random.Random(seed)
    records = []
    for n in range(people):
        imported = n % 3 == 0
        dob = None if n % 9 == 4 else datetime.date(rng.randint(1920, 2004), rng.randint(1, 12), rng.randint(1, 28))
        person = PersonFactory(
            date_of_birth=dob,
            gender=rng.choice(Gender.values),
            ethnicity=rng.choice(Ethnicity.values),
            primary_support_reason=rng.choice(SupportReason.values),
            imported=imported,
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            received = datetime.datetime(2023, 10, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                minutes=rng.randint(0, 60 * 24 * 640)
            )
            abuse = rng.sample(AbuseType.values, rng.choice([1, 1, 2, 3]))
            team = rng.choice(teams)
            case = CaseFactory(
                person=person,
                team=team,
                received_at=received,
                location_of_risk=rng.choice(LocationOfRisk.values),
                source_of_risk=rng.choice(SourceOfRisk.values),
                imported=imported,
                abuse=abuse,
            )
            record = Record(
                team=team,
                person_id=person.pk,
                dob=dob,
                gender=person.gender,
                ethnicity=person.ethnicity,
                support=person.primary_support_reason,
                received_local=received.astimezone(LONDON).date(),
                location=case.location_of_risk,
                source=case.source_of_risk,
                abuse=abuse,
            )
            if rng.random() < 0.8:
                started = record.received_local + datetime.timedelta(days=rng.randint(0, 40))
                concluded = started + datetime.timedelta(days=rng.randint(5, 200)) if rng.random() < 0.8 else None
                answers = _answers(rng) if concluded else {}
                EnquiryFactory(
                    case=case,
                    kind=rng.choice([EnquiryKind.S42, EnquiryKind.S42, EnquiryKind.OTHER_ENQUIRY]),
                    started_on=started,
                    concluded_on=concluded,
                    **answers,
                )
                record.kind = case.enquiry.kind
                record.started_on, record.concluded_on, record.answers = started, concluded, answers
            records.append(record)
    return records


def _answers(rng):
    asked = rng.choice([*AskedDesiredOutcomes.values, ""])
    lacked = rng.choice([*YesNoUnknown.values, ""])
    return {
        "risk_outcome": rng.choice([*RiskOutcome.values, RiskOutcome.REDUCED, ""]),
        "asked_desired_outcomes": asked,
        # Sometimes an achievement is recorded even when outcomes were not expressed: ignored.
        "outcomes_achieved": rng.choice([*OutcomesAchieved.values, ""]),
        "lacked_capacity": lacked,
        "advocacy": rng.choice([*YesNoUnknown.values, ""]),
    }


def expected_tables(records, start=FY_START, end=FY_END, team=None):
    """The unrounded tables, counted record by record."""
    records = [r for r in records if team is None or r.team == team]

    def in_period(day):
        return day is not None and start <= day <= end

    received = [r for r in records if in_period(r.received_local)]
    started = [r for r in records if r.kind and in_period(r.started_on)]
    s42_started = [r for r in started if r.kind == EnquiryKind.S42]
    concluded = [r for r in records if r.kind == EnquiryKind.S42 and in_period(r.concluded_on)]
    tables = defaultdict(lambda: defaultdict(dict))

    tables["concerns"]["total"] = {"concerns": len(received), "individuals": len({r.person_id for r in received})}
    for kind in [*EnquiryKind.values, "total"]:
        rows = [r for r in started if kind in (r.kind, "total")]
        tables["enquiries_started"][kind] = {"enquiries": len(rows), "individuals": len({r.person_id for r in rows})}

    people = {r.person_id: r for r in s42_started}
    for table, codes, key in (
        ("s42_started_by_age", ["18-64", "65-74", "75-84", "85-94", "95+", "unknown"], lambda r: age_band(r.dob, end)),
        ("s42_started_by_gender", Gender.values, lambda r: r.gender),
        ("s42_started_by_ethnicity", Ethnicity.values, lambda r: r.ethnicity),
    ):
        counts = Counter(key(r) for r in people.values())
        for code in codes:
            tables[table][code] = {"individuals": counts[code]}
        tables[table]["total"] = {"individuals": len(people)}
    support = Counter(r.support for r in s42_started)
    for code in SupportReason.values:
        tables["s42_started_by_support_reason"][code] = {"enquiries": support[code]}
    tables["s42_started_by_support_reason"]["total"] = {"enquiries": len(s42_started)}

    def by(table, codes, rows, key):
        counts = Counter(key(r) for r in rows)
        for code in codes:
            tables[table][code] = {"enquiries": counts[code]}
        tables[table]["total"] = {"enquiries": len(rows)}

    types = Counter(code for r in concluded for code in r.abuse)
    for code in AbuseType.values:
        tables["concluded_by_type"][code] = {"enquiries": types[code]}
    tables["concluded_by_type"]["total"] = {"enquiries": len(concluded)}
    by("concluded_by_location", LocationOfRisk.values, concluded, lambda r: r.location)
    by("concluded_by_source", SourceOfRisk.values, concluded, lambda r: r.source)
    by("risk_outcome", RiskOutcome.values, concluded, lambda r: r.answers["risk_outcome"])
    by(
        "msp_asked",
        AskedDesiredOutcomes.values,
        concluded,
        lambda r: r.answers["asked_desired_outcomes"] or "not_recorded",
    )
    expressed = [r for r in concluded if r.answers["asked_desired_outcomes"] == "asked_expressed"]
    by("msp_achieved", OutcomesAchieved.values, expressed, lambda r: r.answers["outcomes_achieved"])
    by("capacity", YesNoUnknown.values, concluded, lambda r: r.answers["lacked_capacity"] or "not_recorded")
    lacked = [r for r in concluded if r.answers["lacked_capacity"] == "yes"]
    by("advocacy", YesNoUnknown.values, lacked, lambda r: r.answers["advocacy"] or "not_recorded")
    tables["not_recorded"]["risk_outcome"] = {"enquiries": sum(1 for r in concluded if not r.answers["risk_outcome"])}
    tables["not_recorded"]["msp_achieved"] = {
        "enquiries": sum(1 for r in expressed if not r.answers["outcomes_achieved"])
    }
    tables["not_recorded"]["total"] = {"enquiries": len(concluded)}
    return tables
