"""SAB aggregation: the unrounded tables of `interchange.md` section 2, counted in the database.

Every figure comes from four grouped SQL statements per period (the ORM's
`aggregate()`/`values().annotate()` with `Count(..., filter=...)`); nothing here loops over
cases. On PostgreSQL each statement is answered from covering indexes alone (see
`cases/migrations/0004_reporting_covering_indexes.py` and `tests/test_aggregation_plans.py`):
a column added to a statement must be added to its index too. The result is *unrounded*:
disclosure control (`reporting.disclosure`) is applied to everything a SAB member can
download.

Counting rules (`sac-reference.md`):

- concerns: cases whose `received_at` falls on a day of the period, in Europe/London local
  time (compared with datetime bounds so the `received_at` index is used);
- enquiries started: enquiries whose decision date (`Enquiry.started_on`) is in the period;
- `s42_started_by_age/gender/ethnicity`: distinct adults with an s42 enquiry started in the
  period, age on the last day of the period (`unknown` without a date of birth; a recorded
  age under 18, a data error, counts in 18-64); `s42_started_by_support_reason` counts the
  enquiries, so an adult with two enquiries counts twice there;
- the concluded tables: s42 enquiries with `concluded_on` in the period. `msp_achieved`
  only where the adult was asked and expressed outcomes; `advocacy` only where the adult
  lacked capacity.

Blank answers on a concluded enquiry (which the closure sign-off and the import should
prevent) map as follows: a blank "asked about desired outcomes", "lacked capacity" or
"advocacy" answer counts as `not_recorded`; a blank risk outcome, or a blank achievement
where outcomes were expressed, has no code of its own, so it counts in the table's `total`
row (and in the extra `not_recorded` table) but in no code row.

Every table has a `total` row: the number of adults or enquiries the table describes (the
denominator of its percentages), counted on its own. For `concluded_by_type` that is the
number of concluded s42 enquiries, so the type rows can add up to more than the total.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Case as SqlCase
from django.db.models import Count, F, Q, Value, When
from django.db.models.functions import TruncMonth

from cases.codes import (
    AbuseType,
    AskedDesiredOutcomes,
    EnquiryKind,
    Ethnicity,
    Gender,
    LocationOfRisk,
    OutcomesAchieved,
    ReferrerType,
    RiskOutcome,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from cases.models import Case, CaseAbuseType, Enquiry

LONDON = ZoneInfo("Europe/London")

AGE_BANDS = (("18-64", "18 to 64"), ("65-74", "65 to 74"), ("75-84", "75 to 84"), ("85-94", "85 to 94"))
AGE_BANDS += (("95+", "95 and over"), ("unknown", "Not known"))
#: (band, lowest age in it) for the banded ages, oldest first.
AGE_THRESHOLDS = (("95+", 95), ("85-94", 85), ("75-84", 75), ("65-74", 65))

NOT_RECORDED = "not_recorded"
TOTAL = "total"

#: What a filtered count of enquiries counts. An enquiry's `case_id` is unique and never null,
#: so counting it counts enquiries, and (unlike `id`) it is in the covering indexes
#: `enquiry_started_case` and `enquiry_concluded_answers`: the counts stay index-only scans.
ENQUIRY = "case_id"


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    rows: tuple  # ((code, label), ...) in the order the contract lists them
    columns: tuple  # column codes
    counts: str  # what the table counts, in words (for the PDF)


def _choices(text_choices):
    return tuple((value, label) for value, label in text_choices.choices)


TABLES = (
    TableSpec("concerns", "Safeguarding concerns received", ((TOTAL, "Total"),), ("concerns", "individuals"),
              "concerns received in the period, and the distinct adults they were about"),
    TableSpec("enquiries_started", "Enquiries started", _choices(EnquiryKind), ("enquiries", "individuals"),
              "enquiries whose decision date is in the period, and the distinct adults"),
    TableSpec("s42_started_by_age", "Adults with a section 42 enquiry started, by age", AGE_BANDS, ("individuals",),
              "distinct adults with an s42 enquiry started in the period, by age on the last day of the period"),
    TableSpec("s42_started_by_gender", "Adults with a section 42 enquiry started, by gender", _choices(Gender),
              ("individuals",), "distinct adults with an s42 enquiry started in the period"),
    TableSpec("s42_started_by_ethnicity", "Adults with a section 42 enquiry started, by ethnicity",
              _choices(Ethnicity), ("individuals",), "distinct adults with an s42 enquiry started in the period"),
    TableSpec("s42_started_by_support_reason", "Section 42 enquiries started, by primary support reason",
              _choices(SupportReason), ("enquiries",),
              "s42 enquiries started in the period (an adult with two enquiries counts twice)"),
    TableSpec("concluded_by_type", "Section 42 enquiries concluded, by type of risk", _choices(AbuseType),
              ("enquiries",), "s42 enquiries concluded in the period, once for each type of risk recorded"),
    TableSpec("concluded_by_location", "Section 42 enquiries concluded, by location of risk",
              _choices(LocationOfRisk), ("enquiries",), "s42 enquiries concluded in the period"),
    TableSpec("concluded_by_source", "Section 42 enquiries concluded, by source of risk", _choices(SourceOfRisk),
              ("enquiries",), "s42 enquiries concluded in the period"),
    TableSpec("risk_outcome", "Section 42 enquiries concluded, by risk outcome", _choices(RiskOutcome),
              ("enquiries",), "s42 enquiries concluded in the period"),
    TableSpec("msp_asked", "Was the adult asked about their desired outcomes?", _choices(AskedDesiredOutcomes),
              ("enquiries",), "s42 enquiries concluded in the period"),
    TableSpec("msp_achieved", "Were the outcomes the adult expressed achieved?", _choices(OutcomesAchieved),
              ("enquiries",), "s42 enquiries concluded in the period where the adult expressed outcomes"),
    TableSpec("capacity", "Did the adult lack capacity to make decisions about the enquiry?",
              _choices(YesNoUnknown), ("enquiries",), "s42 enquiries concluded in the period"),
    TableSpec("advocacy", "Where capacity was lacking, was the adult supported by an advocate, family or friend?",
              _choices(YesNoUnknown), ("enquiries",),
              "s42 enquiries concluded in the period where the adult lacked capacity"),
)  # fmt: skip

#: Added beside the contract's tables: concluded enquiries with an answer that has no code.
EXTRA_TABLES = (
    TableSpec("not_recorded", "Concluded section 42 enquiries with an answer missing",
              (("risk_outcome", "Risk outcome missing"), ("msp_achieved", "Achievement missing (outcomes expressed)")),
              ("enquiries",), "s42 enquiries concluded in the period whose answer has no code"),
)  # fmt: skip

# --- The front door's tables (frontdoor/, docs/front-door.md) ---------------------------------

#: Who raised the concerns received in the period; a concern recorded without saying is "not recorded".
REFERRER_ROWS = (*_choices(ReferrerType), (NOT_RECORDED, "Not recorded"))
#: What became of the contacts raised online in the period (as at the day the report is produced):
#: every contact in exactly one row, so the rows add up to the total.
CONVERSION_ROWS = (
    ("not_safeguarding", "Screened: not a safeguarding concern (signposted)"),
    ("awaiting_screening", "Not yet screened"),
    ("concern_no_enquiry", "Became a concern: no enquiry (yet, or no further action)"),
    ("concern_s42", "Became a concern: section 42 enquiry started"),
    ("concern_other_enquiry", "Became a concern: other safeguarding enquiry started"),
)
FRONT_DOOR_TABLES = (
    TableSpec("concerns_by_referrer", "Safeguarding concerns received, by who raised them", REFERRER_ROWS,
              ("concerns",), "concerns received in the period, by the referrer's sector"),
    TableSpec("conversion", "Contacts raised online: contact, concern, enquiry", CONVERSION_ROWS, ("contacts",),
              "contacts raised through the online form in the period, by what they have become"),
)  # fmt: skip

SPECS = {spec.id: spec for spec in TABLES + EXTRA_TABLES + FRONT_DOOR_TABLES}


@dataclass(frozen=True)
class Period:
    """A reporting period; both its first and its last day are included."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The equivalent period before: for whole calendar months (a month, a quarter, a
        financial year) as many whole months immediately before, else the same number of days
        immediately before. So the previous period of a standard period is standard too."""
        after = self.end + datetime.timedelta(days=1)
        if self.start.day == 1 and after.day == 1:
            months = (after.year - self.start.year) * 12 + after.month - self.start.month
            return Period(add_months(self.start, -months), self.start - datetime.timedelta(days=1))
        years = after.year - self.start.year
        if years >= 1 and _years_before(after, years) == self.start:
            return Period(_years_before(self.start, years), self.start - datetime.timedelta(days=1))
        return Period(self.start - datetime.timedelta(days=self.days), self.start - datetime.timedelta(days=1))

    def datetime_bounds(self):
        """[start, end) as aware datetimes at London midnight, so `received_at` indexes apply."""
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=LONDON)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON)
        return start, end

    def months(self):
        """The first day of each calendar month the period touches."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = (month + datetime.timedelta(days=32)).replace(day=1)


def add_months(day, months):
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_complete_financial_year(today):
    """1 April–31 March of the last financial year that has ended by `today`."""
    end_year = today.year if today >= datetime.date(today.year, 4, 1) else today.year - 1
    return Period(datetime.date(end_year - 1, 4, 1), datetime.date(end_year, 3, 31))


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_expression(dob_field, on_day):
    """SQL CASE giving the age band on `on_day` for the date of birth in `dob_field`.

    Someone is at least N on `on_day` exactly when they were born on or before the same date
    N years earlier (28 February standing in for a missing 29 February).
    """
    whens = [When(**{f"{dob_field}__isnull": True}, then=Value("unknown"))]
    whens += [
        When(**{f"{dob_field}__lte": _years_before(on_day, age)}, then=Value(band)) for band, age in AGE_THRESHOLDS
    ]
    return SqlCase(*whens, default=Value("18-64"))


def _team_filter(team, prefix):
    return Q(**{f"{prefix}team": team}) if team is not None else Q()


def concerns_received(period, team=None):
    """Cases whose concern was received in the period, in scope."""
    start, end = period.datetime_bounds()
    return Case.objects.filter(_team_filter(team, ""), received_at__gte=start, received_at__lt=end)


def enquiries_started(period, team=None):
    """Enquiries whose decision date is in the period, in scope."""
    return Enquiry.objects.filter(_team_filter(team, "case__"), started_on__range=(period.start, period.end))


def s42_concluded(period, team=None):
    """Section 42 enquiries concluded in the period, in scope."""
    return Enquiry.objects.filter(
        _team_filter(team, "case__"), kind=EnquiryKind.S42, concluded_on__range=(period.start, period.end)
    )


def _empty_tables():
    return {
        spec.id: {code: dict.fromkeys(spec.columns, 0) for code, _ in spec.rows + ((TOTAL, "Total"),)}
        for spec in TABLES + EXTRA_TABLES
    }


def aggregate(period, team=None):
    """The unrounded tables for one period and scope: {table: {row: {column: count}}}.

    Four grouped queries; every listed row code is present, zero or not, plus `total`.
    """
    tables = _empty_tables()
    _count_concerns(tables, period, team)
    _count_started(tables, period, team)
    _count_concluded(tables, period, team)
    _count_concluded_types(tables, period, team)
    return tables


def aggregate_front_door(period, team=None):
    """The front door's unrounded tables, `concerns_by_referrer` and `conversion` (docs/front-door.md),
    in the same shape as `aggregate()`'s and published beside them: one grouped query each."""
    tables = {
        spec.id: {code: dict.fromkeys(spec.columns, 0) for code, _ in spec.rows + ((TOTAL, "Total"),)}
        for spec in FRONT_DOOR_TABLES
    }
    referrers = tables["concerns_by_referrer"]
    for row in concerns_received(period, team).values("referrer_type").annotate(concerns=Count("*")).order_by():
        code = row["referrer_type"] or NOT_RECORDED
        if code in referrers:
            referrers[code]["concerns"] += row["concerns"]
        referrers[TOTAL]["concerns"] += row["concerns"]

    from frontdoor.models import Submission

    start, end = period.datetime_bounds()
    contacts = Submission.objects.filter(received_at__gte=start, received_at__lt=end)
    if team is not None:  # a contact belongs to a team once it is a concern of that team
        contacts = contacts.filter(screening__case__team=team)
    concern = Q(screening__outcome="concern")
    s42 = Q(screening__case__enquiry__kind=EnquiryKind.S42)
    other = Q(screening__case__enquiry__kind=EnquiryKind.OTHER_ENQUIRY)
    figures = contacts.aggregate(
        total=Count("id"),
        not_safeguarding=Count("id", filter=Q(screening__outcome="not_safeguarding")),
        awaiting_screening=Count("id", filter=Q(screening__isnull=True)),
        concern_no_enquiry=Count("id", filter=concern & Q(screening__case__enquiry__isnull=True)),
        concern_s42=Count("id", filter=concern & s42),
        concern_other_enquiry=Count("id", filter=concern & other),
    )
    for code, value in figures.items():
        tables["conversion"][code]["contacts"] = value
    return tables


def _count_concerns(tables, period, team):
    figures = concerns_received(period, team).aggregate(
        concerns=Count("*"), individuals=Count("person_id", distinct=True)
    )
    tables["concerns"][TOTAL] = {"concerns": figures["concerns"], "individuals": figures["individuals"]}


def _count_started(tables, period, team):
    # Age band, gender, ethnicity and support reason all belong to the person, so grouping by
    # them puts each adult in exactly one group: distinct-adult counts of the groups add up
    # exactly, for each kind and across kinds. One grouped query serves all started tables.
    s42 = Q(kind=EnquiryKind.S42)
    other = Q(kind=EnquiryKind.OTHER_ENQUIRY)
    groups = (
        enquiries_started(period, team)
        .values(
            band=age_band_expression("case__person__date_of_birth", period.end),
            gender=F("case__person__gender"),
            ethnicity=F("case__person__ethnicity"),
            support=F("case__person__primary_support_reason"),
        )
        .annotate(
            individuals=Count("case__person_id", distinct=True),
            s42_individuals=Count("case__person_id", distinct=True, filter=s42),
            other_individuals=Count("case__person_id", distinct=True, filter=other),
            s42_enquiries=Count(ENQUIRY, filter=s42),
            other_enquiries=Count(ENQUIRY, filter=other),
        )
        .order_by()
    )
    started = tables["enquiries_started"]
    demographics = (
        ("s42_started_by_age", "band", "individuals", "s42_individuals"),
        ("s42_started_by_gender", "gender", "individuals", "s42_individuals"),
        ("s42_started_by_ethnicity", "ethnicity", "individuals", "s42_individuals"),
        ("s42_started_by_support_reason", "support", "enquiries", "s42_enquiries"),
    )
    for group in groups:  # at most 6 × 4 × 7 × 8 aggregated rows, never one per case
        for kind, prefix in ((EnquiryKind.S42, "s42"), (EnquiryKind.OTHER_ENQUIRY, "other")):
            started[kind]["enquiries"] += group[f"{prefix}_enquiries"]
            started[kind]["individuals"] += group[f"{prefix}_individuals"]
        started[TOTAL]["enquiries"] += group["s42_enquiries"] + group["other_enquiries"]
        started[TOTAL]["individuals"] += group["individuals"]
        for table, key, column, figure in demographics:
            row = tables[table].get(group[key])
            if row is not None:
                row[column] += group[figure]
            tables[table][TOTAL][column] += group[figure]


def _blank_or(field, code):
    return Q(**{f"{field}__in": [code, ""]})


def _count_concluded(tables, period, team):
    expressed = Q(asked_desired_outcomes=AskedDesiredOutcomes.ASKED_EXPRESSED)
    lacked = Q(lacked_capacity=YesNoUnknown.YES)
    conditions = {"total": Q()}
    for code in LocationOfRisk.values:
        conditions[f"concluded_by_location:{code}"] = Q(case__location_of_risk=code)
    for code in SourceOfRisk.values:
        conditions[f"concluded_by_source:{code}"] = Q(case__source_of_risk=code)
    for code in RiskOutcome.values:
        conditions[f"risk_outcome:{code}"] = Q(risk_outcome=code)
    for code in AskedDesiredOutcomes.values:
        conditions[f"msp_asked:{code}"] = (
            _blank_or("asked_desired_outcomes", code) if code == NOT_RECORDED else Q(asked_desired_outcomes=code)
        )
    conditions["msp_achieved:total"] = expressed
    for code in OutcomesAchieved.values:
        conditions[f"msp_achieved:{code}"] = expressed & Q(outcomes_achieved=code)
    for code in YesNoUnknown.values:
        conditions[f"capacity:{code}"] = (
            _blank_or("lacked_capacity", code) if code == NOT_RECORDED else Q(lacked_capacity=code)
        )
        conditions[f"advocacy:{code}"] = lacked & (
            _blank_or("advocacy", code) if code == NOT_RECORDED else Q(advocacy=code)
        )
    conditions["advocacy:total"] = lacked
    conditions["not_recorded:risk_outcome"] = Q(risk_outcome="")
    conditions["not_recorded:msp_achieved"] = expressed & Q(outcomes_achieved="")
    aliases = {key: f"c{index}" for index, key in enumerate(conditions)}
    figures = s42_concluded(period, team).aggregate(
        **{
            aliases[key]: Count(ENQUIRY, filter=condition) if condition else Count(ENQUIRY)
            for key, condition in conditions.items()
        }
    )
    total = figures[aliases["total"]]
    for spec in TABLES + EXTRA_TABLES:
        if spec.id.startswith("concluded_by_") or spec.id in ("risk_outcome", "msp_asked", "capacity", "not_recorded"):
            tables[spec.id][TOTAL]["enquiries"] = total
    for key, alias in aliases.items():
        if key == "total":
            continue
        table, row = key.split(":")
        tables[table][row]["enquiries"] = figures[alias]
    tables["concluded_by_type"][TOTAL]["enquiries"] = total


def _count_concluded_types(tables, period, team):
    # The enquiry already holds case_id, so the types are matched to the concluded enquiries
    # by a semi-join, without reading the (wide) case rows at all.
    concluded_cases = s42_concluded(period, team).values("case_id")
    rows = (
        CaseAbuseType.objects.filter(case_id__in=concluded_cases)
        .values("abuse_type")
        .annotate(enquiries=Count("*"))
        .order_by()
    )
    for row in rows:
        if row["abuse_type"] in tables["concluded_by_type"]:
            tables["concluded_by_type"][row["abuse_type"]]["enquiries"] = row["enquiries"]


def monthly_trend(period, team=None):
    """[(first day of month, concerns received, s42 enquiries started)] for each month of the period."""
    concerns = dict(
        concerns_received(period, team)
        .annotate(month=TruncMonth("received_at", tzinfo=LONDON))
        .values("month")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("month", "n")
    )
    started = dict(
        enquiries_started(period, team)
        .filter(kind=EnquiryKind.S42)
        .annotate(month=TruncMonth("started_on"))
        .values("month")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("month", "n")
    )
    concerns = {_as_date(month): n for month, n in concerns.items()}
    started = {_as_date(month): n for month, n in started.items()}
    return [(month, concerns.get(month, 0), started.get(month, 0)) for month in period.months()]


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(LONDON).date() if value.tzinfo else value.date()
    return value


def individuals_in_scope(period, team=None):
    """How many distinct adults a report for this period and scope would describe.

    Adults with a concern received, an enquiry started or an s42 enquiry concluded in the
    period. Three indexed counts answer almost every request; only when all three are small
    are the (fewer than 8 each) person ids fetched to count their union.
    """
    querysets = (
        concerns_received(period, team).values_list("person_id", flat=True),
        enquiries_started(period, team).values_list("case__person_id", flat=True),
        s42_concluded(period, team).values_list("case__person_id", flat=True),
    )
    from .disclosure import SMALLEST_PUBLISHED

    people = set()
    for queryset in querysets:
        ids = set(queryset.distinct()[:SMALLEST_PUBLISHED])
        if len(ids) >= SMALLEST_PUBLISHED:
            return len(ids)  # at least this many: enough to publish
        people |= ids
    return len(people)
