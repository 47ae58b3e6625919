"""Reads of practice quality for managers: the team's MSP measures, the six-principle results,
the random-sample audit's sample and its audits (the writes are in `services`).

Reads start from the access policy: figures are counted over `team_scope()` (a manager's own
teams, every team for a lead), the audit sample is drawn from `case_scope()` (cases the
auditor may open). Every figure is one grouped SQL statement (`aggregate()` /
`values().annotate()` with filtered counts); nothing here loops over cases, so a page costs
the same number of queries whatever the size of the data.

The measures agree with the SAC derivation (`outcomes.sac`, `cases.models.Enquiry`):

- closed: enquiries (s42 and other, or one kind when chosen) whose closure was signed off
  (`Enquiry.concluded_on`) in the period; a reopened case has no `concluded_on` and is not
  counted;
- asked about outcomes: the SAC answer "yes, and outcomes were expressed" or "yes, but none
  expressed"; outcomes expressed: the first of those; fully / partially / not achieved: the
  SAC achievement answer, of the enquiries where outcomes were expressed;
- spoken to alone: enquiries with at least one conversation where the adult was spoken to
  alone, of all closed enquiries and of those with any conversation recorded;
- advocacy where capacity lacking: the SAC advocacy answer "yes", of the enquiries where the
  adult lacked capacity ("yes");
- imported legacy cases carry their SAC answers, so they count in every SAC-based measure;
  they have no conversations, so they count among "no conversation recorded".
"""

import calendar
import datetime
import random
from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value
from django.http import Http404
from django.utils import timezone

from accounts.access import team_scope, teams_of
from accounts.models import Team
from cases.access import case_scope
from cases.codes import AskedDesiredOutcomes, EnquiryKind, OutcomesAchieved, YesNoUnknown
from cases.models import Case, CaseState, Enquiry
from msp.timezone import LONDON
from outcomes.models import (
    Conversation,
    PracticeAudit,
    PracticeAuditCase,
    PracticeAuditRating,
    Principle,
    PrincipleCheck,
    PrincipleRating,
)

MAX_PERIOD_MONTHS = 36
MAX_SAMPLE = 50
AUDIT_PAGE_SIZE = 20


# --- The period and scope ------------------------------------------------------------------


def add_months(day, months):
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def default_period(today=None):
    """The last 12 complete calendar months before `today`."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    return add_months(this_month, -12), this_month - datetime.timedelta(days=1)


def months_between(start, end):
    """The first day of each calendar month the period touches."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a period of closure dates, a team (None: all the user's
    teams) and an enquiry kind ("" for both)."""

    start: datetime.date
    end: datetime.date
    team: Team | None = None
    kind: str = ""

    def received_bounds(self):
        """Datetime bounds of the period's days in Europe/London (so the received_at index is used)."""
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=LONDON)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON)
        return start, end


def teams_in_scope(user):
    """The teams whose figures the user may see: their own, or every team for a lead."""
    return teams_of(user)


def closed_enquiries(user, scope):
    """Enquiries concluded in the period, in the user's team scope (and the chosen team/kind).

    Across all teams (a lead) the enquiry alone answers. For a team, the team is on the case:
    the enquiries are narrowed to the team's cases closed in the period (index
    `case_team_closed`), which the closure sign-off and the import set together with
    `concluded_on` (a day's margin either side covers a sign-off at midnight), so the
    database joins two small index ranges instead of looking up the case of every enquiry.
    """
    qs = Enquiry.objects.filter(concluded_on__gte=scope.start, concluded_on__lte=scope.end)
    if scope.kind:
        qs = qs.filter(kind=scope.kind)
    if scope.team is None and not team_scope(user):
        return qs
    cases = closed_cases(scope.start, scope.end, team=scope.team).filter(team_scope(user))
    return qs.filter(case_id__in=cases.values("id"))


def closed_cases(start, end, *, team=None):
    """Closed cases whose closure falls within the days `start`..`end` (Europe/London), with a
    day's margin either side: the narrowing the index `case_team_closed` (or `case_closed`)
    answers. Callers still select on `Enquiry.concluded_on`, the definition of "closed"."""
    margin = datetime.timedelta(days=1)
    closed_from, closed_before = Scope(start, end).received_bounds()
    cases = Case.objects.filter(
        state=CaseState.CLOSED, closed_at__gte=closed_from - margin, closed_at__lt=closed_before + margin
    )
    return cases if team is None else cases.filter(team=team)


# --- The MSP measures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    count: int
    of: int
    of_label: str
    definition: str

    @property
    def percent(self):
        return round(100 * self.count / self.of, 1) if self.of else None


def _answer(field, value):
    return Q(**{field: value})


MEASURE_KEYS = (
    "closed",
    "s42",
    "asked_expressed",
    "asked_not_expressed",
    "not_asked",
    "dont_know",
    "fully",
    "partially",
    "not_achieved",
    "lacked",
    "advocacy_yes",
    "with_conversation",
    "spoken_alone",
)


def enquiry_figures(user, scope):
    """Every count behind the MSP measures, by month of closure, in one grouped SQL statement.

    Returns `(totals, months)`: `totals` maps each of MEASURE_KEYS to its count over the period;
    `months` lists, for each month of the period, its `month` and the same counts.
    """
    asked = "asked_desired_outcomes"
    expressed = Q(asked_desired_outcomes=AskedDesiredOutcomes.ASKED_EXPRESSED)
    lacked = Q(lacked_capacity=YesNoUnknown.YES)
    any_conversation = Exists(Conversation.objects.filter(case_id=OuterRef("case_id")))
    alone = Exists(Conversation.objects.filter(case_id=OuterRef("case_id"), spoken_to_alone=True))
    counts = {
        "closed": Count("case_id"),
        "s42": Count("case_id", filter=Q(kind=EnquiryKind.S42)),
        "asked_expressed": Count("case_id", filter=expressed),
        "asked_not_expressed": Count("case_id", filter=_answer(asked, AskedDesiredOutcomes.ASKED_NOT_EXPRESSED)),
        "not_asked": Count("case_id", filter=_answer(asked, AskedDesiredOutcomes.NOT_ASKED)),
        "dont_know": Count("case_id", filter=_answer(asked, AskedDesiredOutcomes.DONT_KNOW)),
        "fully": Count("case_id", filter=expressed & Q(outcomes_achieved=OutcomesAchieved.FULLY)),
        "partially": Count("case_id", filter=expressed & Q(outcomes_achieved=OutcomesAchieved.PARTIALLY)),
        "not_achieved": Count("case_id", filter=expressed & Q(outcomes_achieved=OutcomesAchieved.NOT)),
        "lacked": Count("case_id", filter=lacked),
        "advocacy_yes": Count("case_id", filter=lacked & Q(advocacy=YesNoUnknown.YES)),
        "with_conversation": Count("case_id", filter=Q(any_conversation)),
        "spoken_alone": Count("case_id", filter=Q(alone)),
    }
    # Grouped by the closure date itself (a plain column: no date function per row), at most one
    # row per day of the period, added up into months here.
    rows = closed_enquiries(user, scope).values("concluded_on").annotate(**counts).order_by()
    by_month = {month: dict.fromkeys(MEASURE_KEYS, 0) for month in months_between(scope.start, scope.end)}
    for row in rows:
        month = by_month[row["concluded_on"].replace(day=1)]
        for key in MEASURE_KEYS:
            month[key] += row[key]
    months = [{"month": month, **figures} for month, figures in by_month.items()]
    totals = {key: sum(row[key] for row in months) for key in MEASURE_KEYS}
    return totals, months


def measure_counts(user, scope):
    """The period's totals of `enquiry_figures()`."""
    return enquiry_figures(user, scope)[0]


def msp_measures(counts):
    """The measures (numbers, denominators and definitions) from `measure_counts()`."""
    closed = counts["closed"]
    asked = counts["asked_expressed"] + counts["asked_not_expressed"]
    expressed = counts["asked_expressed"]
    not_recorded = closed - asked - counts["not_asked"] - counts["dont_know"]
    lacked = counts["lacked"]
    closed_label = "closed enquiries"
    expressed_label = "where outcomes were expressed"
    return [
        Measure(
            "asked", "Asked about their desired outcomes", asked, closed, closed_label,
            "The adult or their representative was asked what they wanted (SAC: “yes, and outcomes were expressed” "
            "or “yes, but none were expressed”).",
        ),
        Measure(
            "expressed", "Desired outcomes expressed", expressed, closed, closed_label,
            "SAC: “yes, and outcomes were expressed”: at least one desired outcome was recorded in the person's words.",
        ),
        Measure(
            "not_asked", "Not asked", counts["not_asked"], closed, closed_label,
            "SAC: “no”: nothing records that the adult was asked.",
        ),
        Measure(
            "dont_know", "Not known whether asked", counts["dont_know"], closed, closed_label,
            "SAC: “don't know”: the practitioner gave a reason why it is not known.",
        ),
        Measure(
            "not_recorded", "Asked: not recorded", not_recorded, closed, closed_label,
            "No answer stored on the enquiry (counted as “not recorded”, as in the SAB reports).",
        ),
        Measure(
            "fully", "Outcomes fully achieved", counts["fully"], expressed, expressed_label,
            "Every reviewed outcome fully achieved, in the adult's view where given, otherwise the practitioner's.",
        ),
        Measure(
            "partially", "Outcomes partially achieved", counts["partially"], expressed, expressed_label,
            "Some outcomes achieved, or achieved in part.",
        ),
        Measure(
            "not_achieved", "Outcomes not achieved", counts["not_achieved"], expressed, expressed_label,
            "No reviewed outcome was achieved at all.",
        ),
        Measure(
            "spoken_alone", "Spoken to alone", counts["spoken_alone"], closed, closed_label,
            "At least one recorded conversation where the adult was spoken to alone.",
        ),
        Measure(
            "spoken_alone_recorded", "Spoken to alone, where conversations were recorded", counts["spoken_alone"],
            counts["with_conversation"], "with a conversation recorded",
            "The same, of the closed enquiries with at least one conversation recorded (imported cases have none).",
        ),
        Measure(
            "advocacy", "Advocacy where capacity was lacking", counts["advocacy_yes"], lacked,
            "where the adult lacked capacity",
            "SAC: support from an advocate, family member or friend (“yes”), where the adult lacked capacity to make "
            "decisions about the enquiry.",
        ),
    ]  # fmt: skip


# --- Six principles ------------------------------------------------------------------------

RATING_COLUMNS = (
    (PrincipleRating.MET.value, "Met"),
    (PrincipleRating.PARTLY.value, "Partly met"),
    (PrincipleRating.NOT_MET.value, "Not met"),
)
RATING_KEYS = tuple(code for code, _label in RATING_COLUMNS)


def _principle_table(pairs, total=None):
    """Rows per principle from `(principle, rating, n)` triples; `total` adds "not reviewed" and
    "no evidence recorded" columns for the closure checks."""
    counts = {(principle, rating): n for principle, rating, n in pairs}
    rows = []
    for principle in Principle:
        numbers = [counts.get((principle.value, code), 0) for code, _label in RATING_COLUMNS]
        rated = sum(numbers)
        cells = [(n, round(100 * n / rated, 1) if rated else None) for n in numbers]
        row = {"principle": principle, "cells": cells, "counts": dict(zip(RATING_KEYS, numbers, strict=True))}
        row["rated"] = rated
        if total is not None:
            unreviewed = counts.get((principle.value, ""), 0)
            row["not_reviewed"] = unreviewed
            row["no_record"] = max(total - rated - unreviewed, 0)
        rows.append(row)
    return rows


def principle_check_results(user, scope, closed):
    """Per principle: the manager's closure review (met / partly / not met / not reviewed) of the
    closed enquiries' six-principle checks, and how many have no check recorded."""
    # Joined from the checks to their case and enquiry (the same conditions as
    # `closed_enquiries`), so the database can start from whichever side is smaller.
    checks = PrincipleCheck.objects.filter(
        case__enquiry__concluded_on__gte=scope.start, case__enquiry__concluded_on__lte=scope.end
    )
    if scope.kind:
        checks = checks.filter(case__enquiry__kind=scope.kind)
    if scope.team is not None or team_scope(user):
        closed_from, closed_before = scope.received_bounds()
        margin = datetime.timedelta(days=1)
        checks = checks.filter(
            team_scope(user, "case__team"),
            case__state=CaseState.CLOSED,
            case__closed_at__gte=closed_from - margin,
            case__closed_at__lt=closed_before + margin,
        )
        if scope.team is not None:
            checks = checks.filter(case__team=scope.team)
    pairs = (
        checks.values("principle", "rating").annotate(n=Count("id")).order_by().values_list("principle", "rating", "n")
    )
    return _principle_table(pairs, total=closed)


def visible_audits(user):
    """Practice audits the user may see: their teams' audits; every audit for a lead."""
    qs = PracticeAudit.objects.filter(team_scope(user, "team"))
    return qs


def sample_audit_results(user, scope):
    """Per principle: the sample-audit ratings of audited cases whose enquiry closed in the period."""
    audits = visible_audits(user)
    ratings = PracticeAuditRating.objects.filter(
        audit_case__audit__in=audits.values("id"),
        audit_case__case__enquiry__concluded_on__gte=scope.start,
        audit_case__case__enquiry__concluded_on__lte=scope.end,
    )
    if scope.team is not None:
        ratings = ratings.filter(audit_case__case__team=scope.team)
    if scope.kind:
        ratings = ratings.filter(audit_case__case__enquiry__kind=scope.kind)
    pairs = (
        ratings.values("principle", "rating").annotate(n=Count("id")).order_by().values_list("principle", "rating", "n")
    )
    return _principle_table(pairs)


# --- Trends by month -----------------------------------------------------------------------


def concerns_by_month(user, scope):
    """Concerns received in each month of the period (Europe/London days), in team scope.

    One statement: a count per month over its own range of the `received_at` index
    (index-only; no date function or filter evaluated on each row), joined by UNION ALL."""
    start, end = scope.received_bounds()
    qs = Case.objects.filter(team_scope(user))
    if scope.team is not None:
        qs = qs.filter(team=scope.team)
    months = months_between(scope.start, scope.end)
    # Each month runs from its first day (the period's first day for the first) to the next.
    bounds = [start] + [datetime.datetime.combine(m, datetime.time.min, tzinfo=LONDON) for m in months[1:]] + [end]
    parts = [
        qs.filter(received_at__gte=bounds[n], received_at__lt=bounds[n + 1])
        .annotate(month_index=Value(n, output_field=IntegerField()))
        .values("month_index")
        .annotate(n=Count("*"))
        .values_list("month_index", "n")
        .order_by()
        for n in range(len(months))
    ]
    counts = dict(parts[0].union(*parts[1:], all=True))
    return [(month, counts.get(n, 0)) for n, month in enumerate(months)]


def achievement_by_month(months):
    """Outcome achievement by month of closure, from the `months` of `enquiry_figures()`."""
    return [
        {
            "month": row["month"],
            "fully": row["fully"],
            "partially": row["partially"],
            "not": row["not_achieved"],
            "expressed": row["asked_expressed"],
        }
        for row in months
    ]


def month_label(month):
    return f"{calendar.month_abbr[month.month]} {month.year}"


# --- The random-sample audit ---------------------------------------------------------------

# The draw is made in the database by sorting on a keyed hash of the case id computed in SQL
# (integer arithmetic that PostgreSQL and SQLite evaluate alike): a multiplicative step and a
# squaring step modulo a prime, with the multiplier and offsets taken from the audit's seed.
# The same seed over the same cases gives the same sample; the seed is stored with the audit.
_HASH_PRIME = 2147483647  # 2**31 - 1, so every product below fits in 64 bits


def sample_key(seed):
    rng = random.Random(seed)
    offset, multiplier, shift = rng.randrange(1, 2**20), rng.randrange(2, _HASH_PRIME), rng.randrange(_HASH_PRIME)
    prime = Value(_HASH_PRIME)
    first = (F("id") + Value(offset)) * Value(multiplier) % prime
    return ExpressionWrapper((first * first + Value(shift)) % prime, output_field=BigIntegerField())


def sample_candidates(user, *, team, start, end):
    """Closed native cases (not imported) whose enquiry closed in the period, that the user may open."""
    return closed_cases(start, end, team=team).filter(
        case_scope(user), imported=False, enquiry__concluded_on__gte=start, enquiry__concluded_on__lte=end
    )


def draw_sample(user, *, team, start, end, size, seed):
    """The ids of `size` cases drawn at random (ordered by the seeded hash) in the database."""
    return list(
        sample_candidates(user, team=team, start=start, end=end)
        .annotate(sample_key=sample_key(seed))
        .order_by("sample_key", "id")
        .values_list("id", flat=True)[:size]
    )


def audit_list(user):
    return (
        visible_audits(user)
        .select_related("team", "created_by")
        .annotate(
            drawn=Count("audit_cases"),
            rated=Count("audit_cases", filter=Q(audit_cases__rated_at__isnull=False)),
        )
        .order_by("-created_at", "-id")
    )


def _found(row, message):
    if row is None:
        raise Http404(message)
    return row


def get_audit_for_user(user, pk):
    """One audit the user may see (404 otherwise)."""
    return _found(visible_audits(user).select_related("team", "created_by").filter(pk=pk).first(), "No such audit.")


def audit_cases(user, audit_row):
    """The audit's drawn cases the user may still open, in draw order, with their case and enquiry."""
    return (
        PracticeAuditCase.objects.filter(audit=audit_row)
        .filter(case_scope(user, "case__"))
        .select_related("case__person", "case__team", "case__enquiry", "rated_by")
        .order_by("order")
    )


def audit_summary(audit_row):
    """Per principle: the audit's ratings (met / partly / not met) in one grouped query."""
    pairs = (
        PracticeAuditRating.objects.filter(audit_case__audit=audit_row)
        .values("principle", "rating")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("principle", "rating", "n")
    )
    return _principle_table(pairs)


def get_audit_case_for_user(user, pk):
    """One drawn case of an audit the user may see, whose case they may open (404 otherwise)."""
    audit_case = (
        PracticeAuditCase.objects.filter(pk=pk, audit__in=visible_audits(user).values("id"))
        .filter(case_scope(user, "case__"))
        .select_related("audit__team", "case__person", "case__team", "case__enquiry")
        .first()
    )
    return _found(audit_case, "No such audited case.")


def case_ratings(audit_case):
    """The ratings already given to one drawn case (reached through `get_audit_case_for_user`)."""
    return list(PracticeAuditRating.objects.filter(audit_case=audit_case))


def drawn_count(audit_row):
    """How many cases an audit drew."""
    return PracticeAuditCase.objects.filter(audit=audit_row).count()
