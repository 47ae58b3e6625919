"""SAB and SAC aggregation: every unrounded table of `interchange.md` sections 2 and 2b, counted in the database.

One set of functions counts every figure the SAB report (PDF and CSV), the statutory
return's workbook and its checks show, from the records: demographics from the people,
enquiries from the enquiries, and everything about risk from the risk records (`Risk` and
`RiskType`) alone. Nothing here loops over cases: each statement is grouped in the database
and returns at most a few thousand aggregated rows. On PostgreSQL the statements read each
case's facts row (`reporting.models.CaseFacts`, kept by triggers: `reporting/facts.py`): the
concern, the adult's demographics and the enquiry already joined, and the SG2 cells of the
case's risks already counted once each; every statement is answered from covering indexes
alone (`reporting/tests/test_aggregation_plans.py` keeps it so): a column added to a statement
must be added to its index too. The embedded SQLite default counts the records themselves. The result is
*unrounded*: disclosure control (`reporting.disclosure`) is applied to everything a SAB
member can download.

Counting rules (`sac-reference.md`):

- concerns: cases whose `received_at` falls on a day of the period, in Europe/London local
  time (compared with datetime bounds so the `received_at` index is used);
- enquiries started: enquiries whose decision date (`Enquiry.started_on`) is in the period;
- SG1 (`sg1a`–`sg1f`, and the v1 `s42_started_by_*`): concerns received, s42 enquiries
  started and other enquiries started in the period; age, gender and ethnicity count
  distinct adults (an adult once per column however many cases), support reason and health
  condition count cases. Age is the age on the last day of the period (`unknown` without a
  date of birth; a recorded age under 18, a data error, counts in 18-64);
- the concluded tables: s42 enquiries with `concluded_on` in the period. `msp_achieved`
  only where the adult was asked and expressed outcomes; `advocacy` only where the adult
  lacked capacity;
- SG2 (`concluded_by_type/_location/_source`, `sg2a`, `sg2b`, `sg2ab`, `sg2c`, `sg2e`): an
  enquiry counts once in each cell that applies across all its risks, so two risks of the
  same type and source count once in that cell, and rows can add up to more than the total.
  A type, location or source counts through a risk that has that type (a risk is recorded
  with one or more types); an assessment through a risk with that assessment; a result only
  through a risk whose assessment is "risk identified" (with or without action).

Blank answers on a concluded enquiry (which the closure sign-off and the import should
prevent) map as follows: a blank "asked about desired outcomes", "lacked capacity" or
"advocacy" answer counts as `not_recorded`; a blank achievement where outcomes were
expressed has no code of its own, so it counts in the table's `total` row (and in the extra
`not_recorded` table) but in no code row. The checks before submission
(`reporting.checks`) list the enquiries behind every such gap.

Every table has a `total` row: the number of adults, cases or enquiries the table describes
(the denominator of its percentages), counted on its own. For the one-way SG2 tables and
SG2c it is every concluded s42 enquiry (an enquiry with no risk recorded, or none assessed, a
data error the checks list, is in no row: the extra `not_recorded` table counts them); for
SG2e the enquiries with a risk identified; for a cross-tabulation's column the enquiries with
a risk in that column, which is the one-way table's row. For `sg1f_totals`, whose rows are
three different populations, the `total` row is the sum of its rows, kept only for
disclosure control and never published.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Collate, TruncMonth

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
    ReferrerType,
    RiskAssessment,
    RiskResult,
    SourceOfRisk,
    SupportReason,
    YesNoUnknown,
)
from cases.models import Case, Enquiry, Risk, RiskType
from msp.db import figures_transaction
from msp.timezone import LONDON

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

#: The SG1 columns: concerns received, s42 enquiries started, other enquiries started.
SG1_COLUMNS = ("concerns", "s42", "other_enquiry")
SG1_COLUMN_LABELS = {
    "concerns": "Safeguarding concerns",
    "s42": "Section 42 enquiries",
    "other_enquiry": "Other safeguarding enquiries",
}


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    rows: tuple  # ((code, label), ...) in the order the contract lists them
    columns: tuple  # column codes
    counts: str  # what the table counts, in words (for the PDF)
    column_labels: tuple = ()  # ((code, label), ...) where the columns are categories (SG tables)
    sac: str = ""  # the statutory return's table ("SG1a", ...) the figures belong to
    published_total: bool = True  # False: the `total` row exists only for disclosure control

    @property
    def is_cross_tab(self):
        return bool(self.column_labels) and self.columns[0] not in ("enquiries", "individuals", "cases")

    def column_label(self, column):
        return dict(self.column_labels).get(column, column.replace("_", " ").capitalize())


def _choices(text_choices):
    return tuple((value, label) for value, label in text_choices.choices)


_SG1_LABELS = tuple(SG1_COLUMN_LABELS.items())
_ASSESSMENTS = _choices(RiskAssessment)
_RESULTS = _choices(RiskResult)

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
              ("enquiries",), "s42 enquiries concluded in the period, once for each type among their risks"),
    TableSpec("concluded_by_location", "Section 42 enquiries concluded, by location of risk",
              _choices(LocationOfRisk), ("enquiries",),
              "s42 enquiries concluded in the period, once for each location among their risks"),
    TableSpec("concluded_by_source", "Section 42 enquiries concluded, by source of risk", _choices(SourceOfRisk),
              ("enquiries",), "s42 enquiries concluded in the period, once for each source among their risks"),
    TableSpec("msp_asked", "Was the adult asked about their desired outcomes?", _choices(AskedDesiredOutcomes),
              ("enquiries",), "s42 enquiries concluded in the period", sac="SG4a"),
    TableSpec("msp_achieved", "Were the outcomes the adult expressed achieved?", _choices(OutcomesAchieved),
              ("enquiries",), "s42 enquiries concluded in the period where the adult expressed outcomes", sac="SG4a"),
    TableSpec("capacity", "Did the adult lack capacity to make decisions about the enquiry?",
              _choices(YesNoUnknown), ("enquiries",), "s42 enquiries concluded in the period", sac="SG3a"),
    TableSpec("advocacy", "Where capacity was lacking, was the adult supported by an advocate, family or friend?",
              _choices(YesNoUnknown), ("enquiries",),
              "s42 enquiries concluded in the period where the adult lacked capacity", sac="SG3a"),
)  # fmt: skip

#: The statutory return's own tables (interchange.md section 2b).
SG_TABLES = (
    TableSpec("sg1a_age", "SG1a: adults by age", AGE_BANDS, SG1_COLUMNS,
              "distinct adults, by age on the last day of the period", _SG1_LABELS, "SG1a"),
    TableSpec("sg1b_gender", "SG1b: adults by gender", _choices(Gender), SG1_COLUMNS,
              "distinct adults", _SG1_LABELS, "SG1b"),
    TableSpec("sg1c_ethnicity", "SG1c: adults by ethnicity", _choices(Ethnicity), SG1_COLUMNS,
              "distinct adults", _SG1_LABELS, "SG1c"),
    TableSpec("sg1d_support_reason", "SG1d: cases by primary support reason", _choices(SupportReason), SG1_COLUMNS,
              "cases (an adult with two cases counts twice)", _SG1_LABELS, "SG1d"),
    TableSpec("sg1e_health_condition", "SG1e: cases where the adult has a health condition",
              _choices(HealthCondition), SG1_COLUMNS, "cases where the adult has the condition (the total row: all "
              "cases)", _SG1_LABELS, "SG1e"),
    TableSpec("sg1f_totals", "SG1f: totals", tuple(_SG1_LABELS), ("cases", "individuals"),
              "cases and distinct adults", (("cases", "Cases"), ("individuals", "Individuals")), "SG1f",
              published_total=False),
    TableSpec("sg2a_type_by_source", "SG2a: section 42 enquiries concluded, by type and source of risk",
              _choices(AbuseType), tuple(SourceOfRisk.values),
              "s42 enquiries concluded, once in each cell that applies", _choices(SourceOfRisk), "SG2a"),
    TableSpec("sg2b_location_by_source", "SG2b: section 42 enquiries concluded, by location and source of risk",
              _choices(LocationOfRisk), tuple(SourceOfRisk.values),
              "s42 enquiries concluded, once in each cell that applies", _choices(SourceOfRisk), "SG2b"),
    TableSpec("sg2ab_type_by_location", "SG2a/b: section 42 enquiries concluded, by type and location of risk",
              _choices(AbuseType), tuple(LocationOfRisk.values),
              "s42 enquiries concluded, once in each cell that applies", _choices(LocationOfRisk), "SG2ab"),
    TableSpec("sg2c_risk_assessment", "SG2c: section 42 enquiries concluded, by risk assessment outcome",
              _ASSESSMENTS, ("enquiries",), "s42 enquiries concluded, once for each outcome among their risks",
              sac="SG2c"),
    TableSpec("sg2e_result", "SG2e: where a risk was identified, what became of it", _RESULTS, ("enquiries",),
              "s42 enquiries concluded with a risk identified, once for each result among those risks", sac="SG2e"),
)  # fmt: skip

#: Added beside the contract's tables: concluded enquiries with an answer that has no code.
EXTRA_TABLES = (
    TableSpec("not_recorded", "Concluded section 42 enquiries with an answer missing",
              (("risk", "No risk recorded (with a type)"),
               ("risk_assessment", "No risk with an assessment outcome"),
               ("result", "A risk identified, but no result recorded"),
               ("msp_achieved", "Achievement missing (outcomes expressed)")),
              ("enquiries",), "s42 enquiries concluded in the period whose answer has no code"),
)  # fmt: skip

ALL_TABLES = TABLES + SG_TABLES + EXTRA_TABLES

#: The cross-tabulations and the one-way tables that are their margins (by row, by column).
CROSS_TABS = {
    "sg2a_type_by_source": ("concluded_by_type", "concluded_by_source"),
    "sg2b_location_by_source": ("concluded_by_location", "concluded_by_source"),
    "sg2ab_type_by_location": ("concluded_by_type", "concluded_by_location"),
}
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


# --- What people told us: the MSP Outcomes Framework feedback (feedback/, docs/feedback.md) ------

#: The routes of the by-route tables, in order: (route code, table suffix, label).
FEEDBACK_ROUTES = (
    ("at_closure", "at closure, asked by the enquiry lead"),
    ("independent", "by an independent follow-up"),
    ("anonymous", "anonymously"),
)


def _feedback_specs():
    from feedback.questions import ANSWER_COLUMNS, ANSWERS, QUESTIONS

    rows = tuple((q.code, q.short) for q in QUESTIONS)
    columns = tuple((code, ANSWERS[code]) for code in ANSWER_COLUMNS)
    counts = "questionnaires answered in the quarters the period covers (each answers every question once)"
    specs = [TableSpec("msp_feedback", "What people told us: every route", rows, ANSWER_COLUMNS, counts, columns)]
    specs += [
        TableSpec(f"msp_feedback_{route}", f"What people told us: {label}", rows, ANSWER_COLUMNS, counts, columns)
        for route, label in FEEDBACK_ROUTES
    ]
    return tuple(specs)


FEEDBACK_TABLES = _feedback_specs()
FEEDBACK_TABLE_IDS = tuple(spec.id for spec in FEEDBACK_TABLES)

# --- Safeguarding Adults Reviews: SG5 (sars/, docs/sars.md) ---------------------------------------

#: The board's tables only: a review is SAB business, not a team's, so a team's report has none.
SAR_TABLES = (
    TableSpec("sg5a_sars", "SG5a: Safeguarding Adults Reviews concluded",
              (("died", "One or more of the individuals died"), ("no_death", "None of the individuals died")),
              ("reviews",), "Safeguarding Adults Reviews concluded in the period", sac="SG5a"),
    TableSpec("sg5b_people", "SG5b: individuals in the Safeguarding Adults Reviews concluded",
              (("died", "Died"), ("survived", "Suffered serious harm and survived")), ("individuals",),
              "individuals in the Safeguarding Adults Reviews concluded in the period", sac="SG5b"),
    TableSpec("sar_recommendations", "Recommendations of the Safeguarding Adults Reviews concluded, by status",
              (("not_started", "Not started"), ("in_progress", "In progress"), ("completed", "Completed")),
              ("recommendations",),
              "recommendations of the reviews concluded in the period, by their status on the day the report is made"),
)  # fmt: skip
SAR_TABLE_IDS = tuple(spec.id for spec in SAR_TABLES)

SPECS = {spec.id: spec for spec in ALL_TABLES + FRONT_DOOR_TABLES + FEEDBACK_TABLES + SAR_TABLES}


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


def concluded_risks(period, team=None):
    """The risks of the s42 enquiries concluded in the period (matched by a semi-join on case_id)."""
    return Risk.objects.filter(case_id__in=s42_concluded(period, team).values("case_id"))


def concluded_risk_types(period, team=None):
    """The (risk, abuse type) rows of the risks of s42 enquiries concluded in the period."""
    return RiskType.objects.filter(risk__case_id__in=s42_concluded(period, team).values("case_id"))


def _empty_tables():
    return {
        spec.id: {code: dict.fromkeys(spec.columns, 0) for code, _ in spec.rows + ((TOTAL, "Total"),)}
        for spec in ALL_TABLES
    }


def aggregate(period, team=None):
    """The unrounded tables for one period and scope: {table: {row: {column: count}}}.

    Four grouped statements on PostgreSQL (the risk tables in one, from the cases' facts), more
    on SQLite; every listed row code is present, zero or not, plus `total`.
    """
    tables = _empty_tables()
    with figures_transaction():
        _count_concerns(tables, period, team)
        _count_started(tables, period, team)
        _count_concluded(tables, period, team)
        if uses_facts():
            _count_risks_from_facts(tables, period, team)
        else:
            _count_risk_cells(tables, period, team)
            _count_risk_outcomes(tables, period, team)
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


def feedback_quarters(period):
    """The first days of the quarters lying wholly inside the period: a questionnaire counts in
    a period that contains its whole quarter (an anonymous one is dated by its quarter alone),
    so a month's report counts none and a quarter is exactly the sum of nothing smaller."""
    quarters = []
    month = period.start.replace(day=1)
    while month <= period.end:
        if (
            month.month % 3 == 1
            and month >= period.start
            and add_months(month, 3) - datetime.timedelta(days=1) <= period.end
        ):
            quarters.append(month)
        month = add_months(month, 1)
    return quarters


def aggregate_feedback(period, team=None):
    """The unrounded `msp_feedback` tables (every route, and one per route): {table: {question:
    {answer: count}}}, each column's `total` the questionnaires answered. Two grouped queries."""
    from feedback.models import FeedbackItem, FeedbackResponse
    from feedback.questions import ANSWER_COLUMNS

    tables = {
        spec.id: {code: dict.fromkeys(spec.columns, 0) for code, _ in spec.rows + ((TOTAL, "Total"),)}
        for spec in FEEDBACK_TABLES
    }
    quarters = feedback_quarters(period)
    if not quarters:
        return tables
    scope = Q(quarter_start__in=quarters) & _team_filter(team, "")
    for row in FeedbackResponse.objects.filter(scope).values("route").annotate(n=Count("*")).order_by():
        for table in ("msp_feedback", f"msp_feedback_{row['route']}"):
            for column in ANSWER_COLUMNS:
                tables[table][TOTAL][column] += row["n"]
    items = FeedbackItem.objects.filter(
        response__quarter_start__in=quarters, **({"response__team": team} if team is not None else {})
    )
    for row in items.values("response__route", "question", "answer").annotate(n=Count("*")).order_by():
        for table in ("msp_feedback", f"msp_feedback_{row['response__route']}"):
            cells = tables[table].get(row["question"])
            if cells is not None and row["answer"] in cells:
                cells[row["answer"]] += row["n"]
    return tables


@dataclass(frozen=True)
class _Rows:
    """The rows an SG1 statement counts, and where each reads the adult and the enquiry's kind:
    the records joined to the adult (`Case`, `Enquiry`), or on PostgreSQL each case's facts row
    (`reporting.models.CaseFacts`, kept by `reporting.facts`), which holds them already joined."""

    queryset: object
    person: str
    dob: str
    gender: str
    ethnicity: str
    support: str
    health: str
    kind: str


def _record_rows(queryset, prefix):
    person = f"{prefix}person__"
    return _Rows(queryset, f"{prefix}person_id", f"{person}date_of_birth", f"{person}gender", f"{person}ethnicity",
                 f"{person}primary_support_reason", f"{person}health_condition", "kind")  # fmt: skip


def _fact_rows(queryset):
    return _Rows(queryset, "person_id", "adult_date_of_birth", "adult_gender", "adult_ethnicity",
                 "adult_primary_support_reason", "adult_health_condition", "enquiry_kind")  # fmt: skip


def uses_facts():
    """Whether the figures are counted from the cases' facts rows (PostgreSQL, where triggers
    keep them) rather than from the records (the embedded SQLite default)."""
    return connection.vendor == "postgresql"


def _facts(team):
    from django.apps import apps  # reporting.models imports this module: no import back

    return apps.get_model("reporting", "CaseFacts").objects.filter(_team_filter(team, ""))


def _concern_rows(period, team):
    """The concerns received in the period, as SG1 reads them."""
    if not uses_facts():
        return _record_rows(concerns_received(period, team), "")
    start, end = period.datetime_bounds()
    return _fact_rows(_facts(team).filter(received_at__gte=start, received_at__lt=end))


def _started_rows(period, team):
    """The enquiries started in the period, as SG1 reads them."""
    if not uses_facts():
        return _record_rows(enquiries_started(period, team), "case__")
    return _fact_rows(_facts(team).filter(started_on__range=(period.start, period.end)))


def _concluded_facts(period, team):
    """The facts rows of the s42 enquiries concluded in the period (PostgreSQL)."""
    return _facts(team).filter(enquiry_kind=EnquiryKind.S42, concluded_on__range=(period.start, period.end))


def _person_groups(rows, period):
    return rows.queryset.values(
        band=age_band_expression(rows.dob, period.end),
        gender=F(rows.gender),
        ethnicity=F(rows.ethnicity),
        support=F(rows.support),
        health=F(rows.health),
    )


#: SG1 tables: (table, group key, counts adults?).
_SG1 = (
    ("sg1a_age", "band", True),
    ("sg1b_gender", "gender", True),
    ("sg1c_ethnicity", "ethnicity", True),
    ("sg1d_support_reason", "support", False),
    ("sg1e_health_condition", "health", False),
)


def _add_sg1(tables, group, column, cases, individuals):
    for table, key, people in _SG1:
        figure = individuals if people else cases
        row = tables[table].get(group[key])
        if row is not None and row is not tables[table][TOTAL]:
            row[column] += figure
        tables[table][TOTAL][column] += figure
    totals = tables["sg1f_totals"]
    totals[column]["cases"] += cases
    totals[column]["individuals"] += individuals
    totals[TOTAL]["cases"] += cases
    totals[TOTAL]["individuals"] += individuals


def _count_concerns(tables, period, team):
    # Grouping by the person's own attributes puts each adult in exactly one group, so the
    # groups' distinct-adult counts add up exactly.
    rows = _concern_rows(period, team)
    counts = {"cases": Count("*"), "individuals": Count(rows.person, distinct=True)}
    groups = _person_groups(rows, period).annotate(**counts).order_by()
    for group in groups:
        _add_concern_group(tables, group)


def _add_concern_group(tables, group):
    tables["concerns"][TOTAL]["concerns"] += group["cases"]
    tables["concerns"][TOTAL]["individuals"] += group["individuals"]
    _add_sg1(tables, group, "concerns", group["cases"], group["individuals"])


def _count_started(tables, period, team):
    # Age band, gender, ethnicity, support reason and health condition all belong to the
    # person, so grouping by them puts each adult in exactly one group: distinct-adult counts
    # of the groups add up exactly, for each kind and across kinds.
    rows = _started_rows(period, team)
    s42 = Q(**{rows.kind: EnquiryKind.S42})
    other = Q(**{rows.kind: EnquiryKind.OTHER_ENQUIRY})
    groups = (
        _person_groups(rows, period)
        .annotate(
            individuals=Count(rows.person, distinct=True),
            s42_individuals=Count(rows.person, distinct=True, filter=s42),
            other_individuals=Count(rows.person, distinct=True, filter=other),
            s42_enquiries=Count(ENQUIRY, filter=s42),
            other_enquiries=Count(ENQUIRY, filter=other),
        )
        .order_by()
    )
    for group in groups:  # at most 6 × 4 × 7 × 8 × 3 aggregated rows, never one per case
        _add_started_group(tables, group)


_STARTED_DEMOGRAPHICS = (
    ("s42_started_by_age", "band", "individuals", "s42_individuals"),
    ("s42_started_by_gender", "gender", "individuals", "s42_individuals"),
    ("s42_started_by_ethnicity", "ethnicity", "individuals", "s42_individuals"),
    ("s42_started_by_support_reason", "support", "enquiries", "s42_enquiries"),
)


def _add_started_group(tables, group):
    started = tables["enquiries_started"]
    for kind, prefix in ((EnquiryKind.S42, "s42"), (EnquiryKind.OTHER_ENQUIRY, "other")):
        started[kind]["enquiries"] += group[f"{prefix}_enquiries"]
        started[kind]["individuals"] += group[f"{prefix}_individuals"]
        _add_sg1(tables, group, kind, group[f"{prefix}_enquiries"], group[f"{prefix}_individuals"])
    started[TOTAL]["enquiries"] += group["s42_enquiries"] + group["other_enquiries"]
    started[TOTAL]["individuals"] += group["individuals"]
    for table, key, column, figure in _STARTED_DEMOGRAPHICS:
        row = tables[table].get(group[key])
        if row is not None:
            row[column] += group[figure]
        tables[table][TOTAL][column] += group[figure]


def _blank_or(field, code):
    return Q(**{f"{field}__in": [code, ""]})


def _concluded_conditions():
    """{key: Q} of the concluded tables' counts ("table:row", or "total" for every enquiry)."""
    expressed = Q(asked_desired_outcomes=AskedDesiredOutcomes.ASKED_EXPRESSED)
    lacked = Q(lacked_capacity=YesNoUnknown.YES)
    conditions = {"total": Q()}
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
    conditions["not_recorded:msp_achieved"] = expressed & Q(outcomes_achieved="")
    return conditions


def _concluded_counts():
    """(aliases {key: alias}, the Count of each alias) for the concluded tables."""
    conditions = _concluded_conditions()
    aliases = {key: f"c{index}" for index, key in enumerate(conditions)}
    counts = {
        aliases[key]: Count(ENQUIRY, filter=condition) if condition else Count(ENQUIRY)
        for key, condition in conditions.items()
    }
    return aliases, counts


def _count_concluded(tables, period, team):
    aliases, counts = _concluded_counts()
    _fill_concluded(tables, aliases, s42_concluded(period, team).aggregate(**counts))


def _fill_concluded(tables, aliases, figures):
    total = figures[aliases["total"]]
    for table in ("msp_asked", "capacity", "not_recorded"):
        tables[table][TOTAL]["enquiries"] = total
    for key, alias in aliases.items():
        if key == "total":
            continue
        table, row = key.split(":")
        tables[table][row]["enquiries"] = figures[alias]


def _distinct_enquiries(filter_=None):
    return Count("risk__case_id", distinct=True, filter=filter_)


#: The groupings of the concluded enquiries' (type, location, source) rows the risk tables need:
#: name -> the fields grouped by (a cross-tabulation, a one-way table, or none: the total).
RISK_GROUPINGS = {
    "type_source": ("abuse_type", "source"),
    "location_source": ("location", "source"),
    "type_location": ("abuse_type", "location"),
    "type": ("abuse_type",),
    "location": ("location",),
    "source": ("source",),
    "total": (),
}
_CROSS_TAB_GROUPINGS = {
    "sg2a_type_by_source": "type_source",
    "sg2b_location_by_source": "location_source",
    "sg2ab_type_by_location": "type_location",
}
_ONE_WAY_GROUPINGS = {"concluded_by_type": "type", "concluded_by_location": "location", "concluded_by_source": "source"}


def _risk_groups_by_statement(period, team):
    """{grouping: {key tuple: distinct enquiries}} from the risk records, one grouped statement
    per grouping (the embedded SQLite default; on PostgreSQL `_count_risks_from_facts` counts the
    same from the cases' facts, and the tests hold the two equal)."""
    rows = concluded_risk_types(period, team)
    names = {"abuse_type": "abuse_type", "location": "risk__location", "source": "risk__source"}
    groups = {}
    for name, grouping in RISK_GROUPINGS.items():
        if not grouping:
            groups[name] = {(): rows.aggregate(n=_distinct_enquiries())["n"]}
            continue
        cells = rows.values(*(names[f] for f in grouping)).annotate(n=_distinct_enquiries()).order_by()
        groups[name] = {tuple(cell[names[f]] for f in grouping): cell["n"] for cell in cells}
    return groups


def _count_risk_cells(tables, period, team):
    """SG2a, SG2b, type × location and the one-way type, location and source tables, from the
    risk records (SQLite). Every count is of distinct enquiries (`count(DISTINCT case_id)`), so an
    enquiry counts once in each cell however many of its risks fall in it."""
    _fill_risk_cells(tables, _risk_groups_by_statement(period, team))


def _cells_statement(rows, parts=()):
    """SQL and parameters counting, per cell (and per part column in `parts`), the facts rows of
    `rows` (a values() queryset with the cells as `k_cells`) whose cells hold it. A row's cells
    are distinct, so this counts each enquiry once per cell."""
    sql, params = rows.query.sql_with_params()
    keys = ", ".join((*parts, "cell"))
    # Built from constants and the ORM's own statement; the values stay parameters.
    statement = f"SELECT {keys}, COUNT(*) FROM ({sql}) AS facts, unnest(facts.k_cells) AS cell GROUP BY {keys}"  # noqa: S608
    return statement, params


def _decode_cells(counts):
    """(groups as `_risk_groups_by_statement` gives them, SG2c/SG2e figures keyed as
    `_risk_outcome_conditions`) from {cell: enquiries}."""
    from .facts import decode

    groups = {name: {} for name in RISK_GROUPINGS}
    figures = dict.fromkeys(_risk_outcome_conditions(), 0)
    for cell, n in counts.items():
        name, key = decode(cell)
        if name in groups:
            groups[name][key] = n
        else:
            figures[(name, *key) if key else name] = n
    return groups, figures


def _fill_from_cells(tables, counts):
    groups, figures = _decode_cells(counts)
    _fill_risk_cells(tables, groups)
    _fill_risk_outcomes(tables, {key: key for key in figures}, figures)


def _count_risks_from_facts(tables, period, team):
    """Every SG2 table (the type / location / source tables and cross-tabulations, SG2c, SG2e)
    in one statement over the concluded enquiries' facts rows (PostgreSQL): each row's cells
    unnested and counted, read from the covering index `facts_concluded_sg2`."""
    rows = _concluded_facts(period, team).values(k_cells=F("risk_cells")).order_by()
    statement, params = _cells_statement(rows)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        counts = dict(cursor.fetchall())
    _fill_from_cells(tables, counts)


def _fill_risk_cells(tables, groups):
    for table, grouping in _CROSS_TAB_GROUPINGS.items():
        for (row, column), n in groups[grouping].items():
            if row in tables[table] and column in tables[table][TOTAL]:
                tables[table][row][column] = n
    concluded = tables["msp_asked"][TOTAL]["enquiries"]
    for table, grouping in _ONE_WAY_GROUPINGS.items():
        tables[table][TOTAL]["enquiries"] = concluded
        for (code,), n in groups[grouping].items():
            if code in tables[table] and code != TOTAL:
                tables[table][code]["enquiries"] = n
    # The margins of the cross-tabulations: a column's total is the enquiries with a risk in
    # that column (with a type), which is exactly the one-way table's row.
    for cross, (_by_row, by_column) in CROSS_TABS.items():
        for column in tables[cross][TOTAL]:
            tables[cross][TOTAL][column] = tables[by_column][column]["enquiries"]
    typed = groups["total"].get((), 0) or 0
    tables["not_recorded"]["risk"]["enquiries"] = concluded - typed


def _risk_outcome_conditions():
    """{key: Q} of SG2c and SG2e over a concluded enquiry's risks."""
    identified = Q(assessment__in=list(RISK_IDENTIFIED))
    conditions = {"assessed": ~Q(assessment=""), "identified": identified, "resulted": identified & ~Q(result="")}
    for code in RiskAssessment.values:
        conditions[("sg2c_risk_assessment", code)] = Q(assessment=code)
    for code in RiskResult.values:
        conditions[("sg2e_result", code)] = identified & Q(result=code)
    return conditions


def _count_risk_outcomes(tables, period, team):
    """SG2c and SG2e: one statement over the concluded enquiries' risk records (SQLite)."""
    conditions = _risk_outcome_conditions()
    aliases = {key: f"o{index}" for index, key in enumerate(conditions)}
    figures = concluded_risks(period, team).aggregate(
        **{aliases[key]: Count("case_id", distinct=True, filter=q) for key, q in conditions.items()}
    )
    _fill_risk_outcomes(tables, aliases, figures)


def _fill_risk_outcomes(tables, aliases, figures):
    for key, alias in aliases.items():
        if isinstance(key, tuple):
            tables[key[0]][key[1]]["enquiries"] = figures[alias]
    concluded = tables["msp_asked"][TOTAL]["enquiries"]
    tables["sg2c_risk_assessment"][TOTAL]["enquiries"] = concluded
    tables["not_recorded"]["risk_assessment"]["enquiries"] = concluded - figures[aliases["assessed"]]
    tables["sg2e_result"][TOTAL]["enquiries"] = figures[aliases["identified"]]
    tables["not_recorded"]["result"]["enquiries"] = figures[aliases["identified"]] - figures[aliases["resulted"]]


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


# --- A period and its parts in one go (the SAB report's disclosure control) -------------------
#
# A standard period's report is controlled against its parts (`reporting.periods.parts`: a
# year's quarters and months, a quarter's months), so a report aggregates the year and its
# sixteen parts. `aggregate_parts` counts them all with each of `aggregate`'s five statements run
# once over the whole period, the part a row falls in being one more thing grouped by. The
# statements are the ORM's own (the same filters, conditions and age bands as `aggregate`),
# wrapped in SQL that groups them by part.
#
# Counts of cases, of enquiries and of distinct enquiries add up over parts (an enquiry starts
# and concludes on one day, so it lies in one part), so those are grouped by every level's part
# at once and summed. Distinct adults do not (an adult can have a concern in two months), so the
# SG1 statements group by GROUPING SETS, one per level of parts: (..., year's age band),
# (..., year's band, quarter, quarter's band), (..., quarter, quarter's band, month, month's band)
# (a rollup, so one sort serves all three; the coarser keys split a part's adults only by things
# each of them has one value of). An age band is the age on the last day of the part the row is
# counted in, so each level has its own band column: a CASE choosing, by the row's date, the band
# expression of that part's end.


def _levels(period, parts):
    """[[period], then each group of parts `parts(p)` gives, recursively]: every period once.

    Within a level the periods do not overlap (each row falls in at most one of them)."""
    levels, seen, pending = [], set(), [[period]]
    while pending:
        group = [p for p in pending.pop(0) if p not in seen]
        if group:
            levels.append(group)
            seen.update(group)
            for p in group:
                pending.extend(parts(p))
    return levels


def _nested(levels):
    """Whether every part of a level lies within one part of each coarser level (as a year's
    months lie within its quarters)."""
    return all(
        any(outer.start <= part.start and part.end <= outer.end for outer in coarser)
        for i, level in enumerate(levels)
        for coarser in levels[:i]
        for part in level
    )


def _received_within(part):
    start, end = part.datetime_bounds()
    return Q(received_at__gte=start, received_at__lt=end)


def _started_within(part):
    return Q(started_on__range=(part.start, part.end))


def _concluded_within(part):
    return Q(concluded_on__range=(part.start, part.end))


def _part_index(level, within):
    """SQL: the index in `level` of the part a row's date falls in (NULL in none)."""
    return SqlCase(*(When(within(p), then=Value(i)) for i, p in enumerate(level)), output_field=IntegerField())


def _part_band(level, within, dob_field):
    """SQL: the age band on the last day of the part (of `level`) a row falls in."""
    if len(level) == 1:
        return age_band_expression(dob_field, level[0].end)
    return SqlCase(
        *(When(within(p), then=age_band_expression(dob_field, p.end)) for p in level), output_field=CharField()
    )


def _parts_columns(levels, within):
    return {f"p{i}": _part_index(level, within) for i, level in enumerate(levels)}


def _flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


_PERSON_KEYS = ("gender", "ethnicity", "support", "health")


def _sg1_by_parts(rows, within, levels, aggregates, extra=None):
    """[(level, part index, group dict)] of an SG1 statement grouped by part, one GROUPING SET per level.

    `aggregates` is [(name, SQL over the rows' k_* columns)], `extra` more {k_name: expression}
    columns they read; each group dict has the person keys `_person_groups` gives (band, gender,
    ethnicity, support, health) and one value per aggregate.
    """
    extra = extra or {}
    columns = _parts_columns(levels, within)
    # Bands in the "C" collation: see the sort below.
    columns |= {f"b{i}": Collate(_part_band(level, within, rows.dob), "C") for i, level in enumerate(levels)}
    values = rows.queryset.values(
        **columns,
        k_gender=F(rows.gender),
        k_ethnicity=F(rows.ethnicity),
        k_support=F(rows.support),
        k_health=F(rows.health),
        k_person=F(rows.person),
        **extra,
    ).order_by()
    sql, params = values.query.sql_with_params()
    # The sort the GROUPING SETS need is most of the statement's time: it sorts by one key for
    # the adult's four attributes (each NULL as '' and a value as '=' and itself, so the key
    # decodes exactly) and by bands, all in the "C" collation (bytes compared, which groups
    # exactly as the database's own collation does), not by four columns compared by locale.
    adult = " || chr(31) || ".join(f"COALESCE('=' || k_{key}, '')" for key in _PERSON_KEYS)
    sql = f'SELECT part_rows.*, ({adult}) COLLATE "C" AS k_adult FROM ({sql}) AS part_rows'  # noqa: S608
    parts = [f"p{i}" for i in range(len(levels))]
    if _nested(levels):
        # Each level's set also groups by the coarser levels' parts and bands, so the sets are
        # prefixes of one another (a rollup: one sort for all). That splits a part's adults by
        # things each adult has one value of (the coarser part containing theirs, the band of
        # their date of birth there), so the split counts add up to the part's.
        sets = ", ".join(f"(k_adult, {', '.join(f'p{j}, b{j}' for j in range(i + 1))})" for i in range(len(levels)))
        last = len(levels) - 1
        level_of = {sum(1 << (last - j) for j in range(i + 1, len(levels))): i for i in range(len(levels))}
    else:
        sets = ", ".join(f"(p{i}, b{i}, k_adult)" for i in range(len(levels)))
        # GROUPING() sets one bit per part column left out of the row's set (p0 the highest).
        last = len(levels) - 1
        level_of = {sum(1 << (last - j) for j in range(len(levels)) if j != i): i for i in range(len(levels))}
    selected = ", ".join(expression for _, expression in aggregates)
    # Built from constants and the ORM's own statement; the values stay parameters.
    statement = (
        f"SELECT {', '.join(parts)}, {', '.join(f'b{i}' for i in range(len(levels)))}, k_adult, "  # noqa: S608
        f"GROUPING({', '.join(parts)}), {selected} FROM ({sql}) AS sg1_rows GROUP BY GROUPING SETS ({sets})"
    )
    out = []
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for row in cursor.fetchall():
            n = len(levels)
            level = level_of[row[2 * n + 1]]
            index = row[level]
            if index is None:  # in no part of this level
                continue
            attributes = [value[1:] if value else None for value in row[2 * n].split(chr(31))]
            group = dict(zip(_PERSON_KEYS, attributes, strict=True))
            group["band"] = row[n + level]
            figures = row[2 * n + 2 :]
            group |= {name: value for (name, _), value in zip(aggregates, figures, strict=True)}
            out.append((level, index, group))
    return out


def _sum_by_part(tables_of, levels, cells, add):
    """Add each cell (a tuple of part indexes, one per level, then its figures) into every part it lies in."""
    for cell, figures in cells:
        for level, index in enumerate(cell):
            if index is not None:
                add(tables_of[levels[level][index]], figures)


def aggregate_parts(period, team=None, *, parts):
    """{Period: tables} for `period` and every period of `parts(period)` (recursively; pass
    `reporting.periods.parts`), each exactly what `aggregate(that period, team)` gives.

    On PostgreSQL, four statements for all of them (SG1 and the SG2 tables from the cases'
    facts); elsewhere one `aggregate` per period.
    """
    levels = _levels(period, parts)
    every = [p for level in levels for p in level]
    if connection.vendor != "postgresql":
        return {p: aggregate(p, team) for p in every}
    out = {p: _empty_tables() for p in every}
    with figures_transaction():
        # SG1 and the concerns: concerns received, by part.
        for level, index, group in _sg1_by_parts(
            _concern_rows(period, team),
            _received_within,
            levels,
            [("cases", "COUNT(*)"), ("individuals", "COUNT(DISTINCT k_person)")],
        ):
            _add_concern_group(out[levels[level][index]], group)
        # SG1 and the enquiries started, by part.
        started = _started_rows(period, team)
        for level, index, group in _sg1_by_parts(
            started,
            _started_within,
            levels,
            [
                ("individuals", "COUNT(DISTINCT k_person)"),
                ("s42_individuals", "COUNT(DISTINCT k_person) FILTER (WHERE k_s42)"),
                ("other_individuals", "COUNT(DISTINCT k_person) FILTER (WHERE k_other)"),
                ("s42_enquiries", "COUNT(k_enquiry) FILTER (WHERE k_s42)"),
                ("other_enquiries", "COUNT(k_enquiry) FILTER (WHERE k_other)"),
            ],
            {
                "k_enquiry": F(ENQUIRY),
                "k_s42": _flag(Q(**{started.kind: EnquiryKind.S42})),
                "k_other": _flag(Q(**{started.kind: EnquiryKind.OTHER_ENQUIRY})),
            },
        ):
            _add_started_group(out[levels[level][index]], group)
        _concluded_by_parts(out, period, team, levels)
        _risks_by_parts(out, period, team, levels)
    return out


def _concluded_by_parts(out, period, team, levels):
    aliases, counts = _concluded_counts()
    columns = _parts_columns(levels, _concluded_within)
    cells = s42_concluded(period, team).values(**columns).annotate(**counts).order_by()
    figures = {p: dict.fromkeys(counts, 0) for p in out}

    def add(into, cell):
        for alias in counts:
            into[alias] += cell[alias]

    _sum_by_part(figures, levels, [(tuple(cell[c] for c in columns), cell) for cell in cells], add)
    for p, tables in out.items():
        _fill_concluded(tables, aliases, figures[p])


def _risks_by_parts(out, period, team, levels):
    """Every SG2 table of every part, in one statement over the concluded enquiries' facts rows:
    their cells counted by the parts the enquiry's conclusion falls in, then summed over parts."""
    columns = _parts_columns(levels, _concluded_within)
    rows = _concluded_facts(period, team).values(k_cells=F("risk_cells"), **columns).order_by()
    statement, params = _cells_statement(rows, parts=tuple(columns))
    n = len(levels)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        cells = [(row[:n], row[n:]) for row in cursor.fetchall()]
    counts = {p: {} for p in out}

    def add(into, figure):
        cell, count = figure
        into[cell] = into.get(cell, 0) + count

    _sum_by_part(counts, levels, cells, add)
    for p, tables in out.items():
        _fill_from_cells(tables, counts[p])


def aggregate_sars(period, team=None):
    """The unrounded SG5 tables and the recommendations by status: {table: {row: {column: count}}}.

    Counts the Safeguarding Adults Reviews concluded in the period (`concluded_on`, which only a
    review the board proceeded with has): SG5a each review once, in `died` where one or more of
    its individuals died and in `no_death` otherwise (a review with nobody recorded counts there
    too); SG5b each of their individuals, by whether they died or survived serious harm;
    `sar_recommendations` their recommendations by status as it is today. Three grouped
    queries. None for a team's report (`{}`): reviews are the board's, not a team's.
    """
    if team is not None:
        return {}
    from django.db.models import Exists, OuterRef

    from sars.models import Harm, Recommendation, SafeguardingAdultsReview, SarPerson

    tables = {
        spec.id: {code: dict.fromkeys(spec.columns, 0) for code, _ in spec.rows + ((TOTAL, "Total"),)}
        for spec in SAR_TABLES
    }
    concluded = SafeguardingAdultsReview.objects.filter(concluded_on__range=(period.start, period.end))
    a_death = Exists(SarPerson.objects.filter(review=OuterRef("pk"), harm=Harm.DIED))
    reviews = concluded.aggregate(total=Count("pk"), died=Count("pk", filter=Q(a_death)))
    sg5a = tables["sg5a_sars"]
    sg5a["died"]["reviews"], sg5a[TOTAL]["reviews"] = reviews["died"], reviews["total"]
    sg5a["no_death"]["reviews"] = reviews["total"] - reviews["died"]
    in_concluded = concluded.values("pk")
    for table, model, field, column in (
        ("sg5b_people", SarPerson, "harm", "individuals"),
        ("sar_recommendations", Recommendation, "status", "recommendations"),
    ):
        rows = model.objects.filter(review__in=in_concluded).values(field).annotate(n=Count("pk")).order_by()
        for row in rows:
            if row[field] in tables[table]:
                tables[table][row[field]][column] += row["n"]
            tables[table][TOTAL][column] += row["n"]
    return tables
