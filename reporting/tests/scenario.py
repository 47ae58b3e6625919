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
    RISK_IDENTIFIED,
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
from cases.models import Risk, RiskType
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
    risks: list  # [RiskRecord]
    health: str = ""
    kind: str = ""
    started_on: object = None
    concluded_on: object = None
    answers: dict = field(default_factory=dict)


@dataclass
class RiskRecord:
    types: list
    location: str
    source: str
    assessment: str = ""
    result: str = ""


def random_risks(
    rng,
    *,
    concluded,
    types=AbuseType.values,
    locations=LocationOfRisk.values,
    sources=SourceOfRisk.values,
    assessments=RiskAssessment.values,
    blanks=True,
):
    """1–3 risks (about 1.4 on average); with assessments and results when concluded.

    Sometimes a concluded enquiry has a gap a lead must put right (no assessment, a missing
    result, no type) when `blanks`, so the counting of gaps is exercised too.
    """
    risks = []
    ceased = concluded and rng.random() < 0.08
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        risk = RiskRecord(
            types=rng.sample(list(types), min(len(types), rng.choice([1, 1, 2, 3]))),
            location=rng.choice(list(locations)),
            source=rng.choice(list(sources)),
        )
        if concluded:
            risk.assessment = RiskAssessment.CEASED if ceased else rng.choice(list(assessments))
            if blanks and rng.random() < 0.05:
                risk.assessment = ""
            if risk.assessment in RISK_IDENTIFIED:
                risk.result = rng.choice(RiskResult.values)
                if blanks and rng.random() < 0.05:
                    risk.result = ""
        if blanks and rng.random() < 0.02:
            risk.types = []
        risks.append(risk)
    return risks  # fmt: skip


def create_risks(case, risks):
    """Replace whatever risks the case has with these (the factories may add a default one)."""
    Risk.objects.filter(case=case).delete()
    for record in risks:
        risk = Risk.objects.create(
            case=case,
            location=record.location,
            source=record.source,
            assessment=record.assessment,
            result=record.result,
        )
        RiskType.objects.bulk_create([RiskType(risk=risk, abuse_type=code) for code in record.types])


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
            health_condition=rng.choice(["", "", "", *HealthCondition.values]),
            imported=imported,
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            received = datetime.datetime(2023, 10, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                minutes=rng.randint(0, 60 * 24 * 640)
            )
            team = rng.choice(teams)
            case = CaseFactory(person=person, team=team, received_at=received, imported=imported)
            record = Record(
                team=team,
                person_id=person.pk,
                dob=dob,
                gender=person.gender,
                ethnicity=person.ethnicity,
                support=person.primary_support_reason,
                health=person.health_condition,
                received_local=received.astimezone(LONDON).date(),
                risks=[],
            )
            concluded = None
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
            record.risks = random_risks(rng, concluded=concluded is not None)
            create_risks(case, record.risks)
            records.append(record)
    return records


def _answers(rng):
    asked = rng.choice([*AskedDesiredOutcomes.values, ""])
    lacked = rng.choice([*YesNoUnknown.values, ""])
    return {
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

    def cells(record, key):
        """The distinct cells one enquiry counts in: each once however many risks fall there."""
        return {cell for risk in record.risks for cell in key(risk)}

    def once_per_row(table, codes, key, rows=concluded, total=None):
        counts = Counter(cell for r in rows for cell in cells(r, key))
        for code in codes:
            tables[table][code] = {"enquiries": counts[code]}
        tables[table]["total"] = {"enquiries": len(rows) if total is None else total}

    once_per_row("concluded_by_type", AbuseType.values, lambda k: k.types)
    once_per_row("concluded_by_location", LocationOfRisk.values, lambda k: [k.location] if k.types else [])
    once_per_row("concluded_by_source", SourceOfRisk.values, lambda k: [k.source] if k.types else [])
    for table, rows_of, columns_of, row_codes, column_codes, margin in (
        ("sg2a_type_by_source", lambda k: k.types, lambda k: [k.source], AbuseType.values, SourceOfRisk.values,
         "concluded_by_source"),
        ("sg2b_location_by_source", lambda k: [k.location] if k.types else [], lambda k: [k.source],
         LocationOfRisk.values, SourceOfRisk.values, "concluded_by_source"),
        ("sg2ab_type_by_location", lambda k: k.types, lambda k: [k.location], AbuseType.values,
         LocationOfRisk.values, "concluded_by_location"),
    ):  # fmt: skip

        def pairs(k, rows_of=rows_of, columns_of=columns_of):
            return [(a, b) for a in rows_of(k) for b in columns_of(k)]

        counts = Counter(cell for r in concluded for cell in cells(r, pairs))
        for code in row_codes:
            tables[table][code] = {column: counts[(code, column)] for column in column_codes}
        tables[table]["total"] = {column: tables[margin][column]["enquiries"] for column in column_codes}
    once_per_row("sg2c_risk_assessment", RiskAssessment.values, lambda k: [k.assessment] if k.assessment else [])
    identified = [r for r in concluded if any(k.assessment in RISK_IDENTIFIED for k in r.risks)]
    once_per_row(
        "sg2e_result",
        RiskResult.values,
        lambda k: [k.result] if k.assessment in RISK_IDENTIFIED and k.result else [],
        rows=identified,
    )
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
    tables["not_recorded"]["risk"] = {"enquiries": sum(1 for r in concluded if not any(k.types for k in r.risks))}
    tables["not_recorded"]["risk_assessment"] = {
        "enquiries": sum(1 for r in concluded if not any(k.assessment for k in r.risks))
    }
    tables["not_recorded"]["result"] = {
        "enquiries": sum(
            1 for r in identified if not any(k.assessment in RISK_IDENTIFIED and k.result for k in r.risks)
        )
    }
    tables["not_recorded"]["msp_achieved"] = {
        "enquiries": sum(1 for r in expressed if not r.answers["outcomes_achieved"])
    }
    tables["not_recorded"]["total"] = {"enquiries": len(concluded)}
    _sg1_tables(tables, received, started, end)
    return tables


SG1_COLUMNS = ("concerns", "s42", "other_enquiry")


def _sg1_tables(tables, received, started, end):
    """SG1a–f counted record by record: adults once per column (a–c), cases each time (d–e)."""
    populations = {
        "concerns": received,
        "s42": [r for r in started if r.kind == EnquiryKind.S42],
        "other_enquiry": [r for r in started if r.kind == EnquiryKind.OTHER_ENQUIRY],
    }
    for table, codes, key in (
        ("sg1a_age", ["18-64", "65-74", "75-84", "85-94", "95+", "unknown"], lambda r: age_band(r.dob, end)),
        ("sg1b_gender", Gender.values, lambda r: r.gender),
        ("sg1c_ethnicity", Ethnicity.values, lambda r: r.ethnicity),
    ):
        for code in [*codes, "total"]:
            tables[table][code] = {}
        for column, rows in populations.items():
            people = {r.person_id: r for r in rows}
            counts = Counter(key(r) for r in people.values())
            for code in codes:
                tables[table][code][column] = counts[code]
            tables[table]["total"][column] = len(people)
    for table, codes, key in (
        ("sg1d_support_reason", SupportReason.values, lambda r: r.support),
        ("sg1e_health_condition", HealthCondition.values, lambda r: r.health),
    ):
        for code in [*codes, "total"]:
            tables[table][code] = {}
        for column, rows in populations.items():
            counts = Counter(key(r) for r in rows)
            for code in codes:
                tables[table][code][column] = counts[code]
            tables[table]["total"][column] = len(rows)
    tables["sg1f_totals"]["total"] = {"cases": 0, "individuals": 0}
    for column, rows in populations.items():
        figures = {"cases": len(rows), "individuals": len({r.person_id for r in rows})}
        tables["sg1f_totals"][column] = figures
        for key, value in figures.items():
            tables["sg1f_totals"]["total"][key] += value
