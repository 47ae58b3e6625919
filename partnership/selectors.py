"""Reads of the partnership records, always from the access policy's scope
(`cases.access.case_scope`): a record on a case outside the user's scope answers 404."""

import datetime

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.access import CASE_WORKERS
from accounts.models import User
from cases.access import case_scope
from cases.models import ENQUIRY_STATES, OPEN_STATES, Case, Risk
from msp.db import figures_transaction

from .models import CausedEnquiry, InformationShare, Meeting, PartnerOrganisation


def active_organisations():
    """The partner organisations offered on new records."""
    return PartnerOrganisation.objects.filter(active=True).order_by("name")


def case_record(user, model, pk, *, related=()):
    """One partnership record (of `model`) whose case is in the user's scope, with its case: 404 otherwise."""
    record = (
        model.objects.filter(case_scope(user, prefix="case__"))
        .select_related("case__person", "case__team", "case__enquiry__lead_practitioner", *related)
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("No such record.")
    return record


def case_caused_enquiries(case):
    return CausedEnquiry.objects.filter(case=case).select_related("partner", "requested_by", "not_adequate_by")


def case_meetings(case):
    return (
        Meeting.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("staff", "partner_attendees", "actions__plan_action")
    )


def case_shares(case):
    return InformationShare.objects.filter(case=case).select_related("partner", "shared_by", "reviewed_by")


def case_counts(case):
    """{"meetings", "shares", "awaiting_review"} of the case, in one query."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def counted(queryset):
        rows = queryset.filter(case_id=OuterRef("pk")).order_by().values("case_id").annotate(n=Count("pk"))
        return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)

    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            n_meetings=counted(Meeting.objects.all()),
            n_shares=counted(InformationShare.objects.all()),
            n_awaiting_review=counted(InformationShare.objects.awaiting_review()),
        )
        .values_list("n_meetings", "n_shares", "n_awaiting_review")
        .get()
    )
    return dict(zip(("meetings", "shares", "awaiting_review"), row, strict=True))


def meeting_staff(case):
    """Staff who may be named as attending a meeting on the case: the case team's practitioners
    and managers, and the safeguarding leads."""
    from django.db.models import Q

    return (
        User.objects.filter(is_active=True, role__in=CASE_WORKERS)
        .filter(Q(memberships__team=case.team_id) | Q(role="lead"))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Due and waiting work (notifications, the dashboard, My work) ----------------------


def reports_due(today):
    """Caused enquiries whose report is due today or overdue and not received, on enquiries
    still open or awaiting closure: the one due rule the notifications and queues read."""
    return CausedEnquiry.objects.report_due_by(today).filter(case__state__in=ENQUIRY_STATES)


def awaiting_reports(user, *, team=None):
    """Caused enquiries awaiting the partner's report on the user's cases in scope, soonest due first."""
    rows = (
        CausedEnquiry.objects.awaiting_report()
        .filter(case_scope(user, prefix="case__"))
        .filter(case__state__in=ENQUIRY_STATES)
        .select_related("partner", "case__person", "case__team")
    )
    if team is not None:
        rows = rows.filter(case__team=team)
    return rows.order_by("due_on", "id")


def my_awaiting_reports(user):
    """Reports awaited on enquiries the user leads or caused."""
    from django.db.models import Q

    return awaiting_reports(user).filter(Q(case__enquiry__lead_practitioner=user) | Q(requested_by=user))


def shares_awaiting_review(user, *, team=None):
    """Information shared without consent, not yet reviewed by a manager, in the user's scope."""
    rows = (
        InformationShare.objects.awaiting_review()
        .filter(case_scope(user, prefix="case__"))
        .select_related("partner", "case__person", "case__team", "shared_by")
    )
    if team is not None:
        rows = rows.filter(case__team=team)
    return rows.order_by("shared_on", "id")


# --- Providers: concerns and enquiries per provider over a period -------------------------

#: Concerns about one provider in one calendar month from which the page flags a pattern.
PATTERN_CONCERNS_IN_A_MONTH = 3
#: The longest period the page looks at.
LONGEST_PERIOD_DAYS = 366
#: Providers drawn in the chart (the busiest; the table lists them all).
PROVIDER_CHART_ROWS = 15


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_of_period(field, start, end):
    """The calendar month (London time) of `field` as its number in the period from `start`:
    comparisons with each month's first moment, cheaper per row than truncating a time-zone
    conversion, and the same on SQLite."""
    firsts, month = [], datetime.date(start.year, start.month, 1)
    while True:
        month = (month + datetime.timedelta(days=32)).replace(day=1)
        if month > end:
            break
        firsts.append(_day_start(month))
    whens = [When(**{f"{field}__lt": first}, then=Value(number)) for number, first in enumerate(firsts)]
    return SqlCase(*whens, default=Value(len(firsts)), output_field=IntegerField()) if whens else Value(0)


def provider_patterns(user, *, start, end, team=None):
    """Per provider named on a risk of a case in the user's scope (of `team`) received from
    `start` to `end` (dates, both included): the concerns, how many are still open and how many
    are in an open enquiry now, and the most in one calendar month. Providers with none are left
    out; the busiest first.

    One grouped query, by provider and month (a case is received in one month, so the months
    add up to the period), in a figures transaction (no JIT, sort memory), over the risks
    alone: each carries its case's received date, team, restriction and state (kept by the
    triggers of `cases.risk_facts`), read from the covering index `risk_provider_period`, and
    the scope is the case access policy over those copies (`case_scope(user, "case_")`)."""
    scoped = Risk.objects.filter(
        case_scope(user, prefix="case_"),
        provider__isnull=False,
        case_received_at__gte=_day_start(start),
        case_received_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    if team is not None:
        scoped = scoped.filter(case_team=team)
    months = (
        scoped.annotate(month=_month_of_period("case_received_at", start, end))
        .values("provider", "month")
        .annotate(
            concerns=Count("case", distinct=True),
            still_open=Count("case", distinct=True, filter=Q(case_state__in=OPEN_STATES)),
            in_enquiry=Count("case", distinct=True, filter=Q(case_state__in=ENQUIRY_STATES)),
        )
        .order_by()
    )
    rows = {}
    with figures_transaction():
        for row in months:
            entry = rows.setdefault(
                row["provider"], dict.fromkeys(("concerns", "still_open", "in_enquiry", "busiest_month"), 0)
            )
            for name in ("concerns", "still_open", "in_enquiry"):
                entry[name] += row[name]
            entry["busiest_month"] = max(entry["busiest_month"], row["concerns"])
    organisations = PartnerOrganisation.objects.in_bulk(list(rows))
    out = []
    for pk, row in rows.items():
        row["organisation"] = organisations[pk]
        row["pattern"] = row["busiest_month"] >= PATTERN_CONCERNS_IN_A_MONTH
        out.append(row)
    out.sort(key=lambda r: (-r["concerns"], -r["in_enquiry"], r["organisation"].name))
    return out
