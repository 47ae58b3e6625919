"""Reads of the managers' workspace: team dashboard figures, the sign-off queue, caseloads and
"My work". Every read starts from the access policy's scope (`cases.access.case_scope`).

Every figure and list runs a fixed number of queries whatever the number of cases: the
dashboard is four counts (grouped or conditional), the caseload three grouped queries merged
in Python, and a list page two queries (the page's ids from an index, then those rows). The
partial indexes they rely on are in `Case.Meta` and `Enquiry.Meta` (README, "Managers'
workspace").
"""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.access import team_scope
from cases.access import case_scope, enquiry_leads
from cases.models import (
    AWAITING_DECISION_STATES,
    ENQUIRY_STATES,
    OPEN_STATES,
    Case,
    CaseState,
    Decision,
    DecisionStatus,
    Enquiry,
)
from cases.selectors import ListPage
from outcomes import selectors as outcome_selectors
from outcomes.models import Conversation

MAX_NO_CONTACT_DAYS = 365


def no_contact_days_default():
    return settings.NO_CONTACT_ALERT_DAYS


def _today(today):
    return today or timezone.localdate()


def open_cases(*, user, team=None):
    """Open cases in the user's scope (one team of it when `team` is given)."""
    cases = Case.objects.filter(case_scope(user)).filter(state__in=OPEN_STATES)
    if team is not None:
        cases = cases.filter(team=team)
    return cases


def recent_contact_cases(cutoff):
    """The ids of cases with a conversation after `cutoff`."""
    return Conversation.objects.filter(held_on__gt=cutoff).values("case_id")


def no_contact_q(*, days, today=None):
    """Open enquiries that started at least `days` ago and have had no conversation in the last `days` days.

    "Not in the cases with a recent conversation" (NOT IN, as on the dashboard), not NOT EXISTS:
    PostgreSQL hashes that set once. As an anti-join it chose a nested loop when it misjudged a
    team's open enquiries (27,798 estimated as 223 at a million cases: 300 ms instead of 30)."""
    cutoff = _today(today) - datetime.timedelta(days=days)
    return Q(state=CaseState.ENQUIRY_OPEN, enquiry__concluded_on__isnull=True, enquiry__started_on__lte=cutoff) & ~Q(
        pk__in=recent_contact_cases(cutoff)
    )


# A semi-join on the (small) index of unallocated enquiries, not an outer join over every case.
UNALLOCATED_Q = Q(state=CaseState.ENQUIRY_OPEN) & Q(
    Exists(Enquiry.objects.filter(case_id=OuterRef("pk"), concluded_on__isnull=True, lead_practitioner__isnull=True))
)


def overdue_decision_q(today=None):
    return Q(state__in=AWAITING_DECISION_STATES, decision_due__lt=_today(today))


def dashboard_figures(*, user, team=None, no_contact_days=None, today=None):
    """Every dashboard figure for the user's scope (or one team of it), in four queries: open
    cases by stage with the overdue decisions (one grouped count over an index of open cases),
    unallocated and no-contact enquiries (one count with two conditional counts over the index
    of unconcluded enquiries), overdue plan actions and follow-ups due (one count each)."""
    today = _today(today)
    days = no_contact_days or no_contact_days_default()
    cutoff = today - datetime.timedelta(days=days)
    by_state = {
        row["state"]: row
        for row in open_cases(user=user, team=team)
        .values("state")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_decision_q(today)))
        .order_by()
    }
    figures = {f"stage_{state}": by_state.get(state, {}).get("n", 0) for state in OPEN_STATES}
    figures["open_total"] = sum(row["n"] for row in by_state.values())
    figures["overdue_decisions"] = sum(row["overdue"] for row in by_state.values())
    # One pass over the open enquiries for both enquiry figures. "Not in the cases with a recent
    # conversation" (NOT IN, not NOT EXISTS) lets PostgreSQL hash that set once.
    recent = recent_contact_cases(cutoff)
    figures.update(
        open_enquiries(user=user, team=team).aggregate(
            unallocated=Count("case", filter=Q(lead_practitioner__isnull=True)),
            no_contact=Count("case", filter=Q(started_on__lte=cutoff) & ~Q(case_id__in=recent)),
        )
    )
    actions = outcome_selectors.overdue_plan_actions(user, on=today)
    followups = outcome_selectors.open_door_followups_due(user, on=today)
    if team is not None:
        actions, followups = actions.filter(case__team=team), followups.filter(case__team=team)
    figures["overdue_plan_actions"] = actions.order_by().count()
    figures["followups_due"] = followups.order_by().count()
    figures["decisions_awaiting_sign_off"] = figures[f"stage_{CaseState.DECISION_PENDING}"]
    figures["closures_awaiting_sign_off"] = figures[f"stage_{CaseState.CLOSURE_PENDING}"]
    figures["stages"] = [(CaseState(state), figures[f"stage_{state}"]) for state in OPEN_STATES]
    figures["no_contact_days"] = days
    return figures


def open_enquiries(*, user, team=None):
    """Enquiries at the "enquiry open" stage in the user's scope (started from the small index
    of unconcluded enquiries)."""
    enquiries = Enquiry.objects.filter(case_scope(user, prefix="case__")).filter(
        concluded_on__isnull=True, case__state=CaseState.ENQUIRY_OPEN
    )
    if team is not None:
        enquiries = enquiries.filter(case__team=team)
    return enquiries


def workspace_cases(*, user):
    """The cases the user may see, for `forms.WorkspaceCaseFilter`, which keeps them to the open
    stages (by one predicate on the state: see its `qs`); `page_of` loads a page's rows."""
    return Case.objects.filter(case_scope(user))


def case_rows():
    """What a workspace list row shows, for the ids of one page."""
    return Case.objects.select_related("person", "team", "enquiry__lead_practitioner")


class Page(ListPage):
    """One page of a list without a COUNT(*), found in two steps: the page's ids first, with a
    narrow query the open-case indexes answer alone, then those rows (from `rows`, default the
    same queryset) with everything the page shows. At a million cases, sorting whole rows to
    keep 25 would read tens of thousands of table pages."""

    def __init__(self, queryset, number, size, *, rows=None):
        self.rows = rows
        super().__init__(queryset, number, size)

    def fetch(self, queryset, number, size):
        ids = list(queryset.values_list("pk", flat=True)[(number - 1) * size : number * size + 1])
        if not ids:
            return []
        loaded = {row.pk: row for row in (self.rows if self.rows is not None else queryset).filter(pk__in=ids)}
        return [loaded[pk] for pk in ids if pk in loaded]


def export_rows(queryset):
    """Row-level export columns (no names of the adult, no free text), streamed in chunks."""
    return queryset.values_list(
        "ref",
        "team__name",
        "state",
        "received_at",
        "decision_due",
        "enquiry__started_on",
        "enquiry__lead_practitioner__first_name",
        "enquiry__lead_practitioner__last_name",
        "enquiry__lead_practitioner__username",
    ).iterator(chunk_size=2000)


# --- Sign-off queue ---------------------------------------------------------------------


def decisions_awaiting_sign_off(*, user, team=None):
    """Proposed decisions on cases awaiting sign-off in the user's scope, oldest first."""
    decisions = (
        Decision.objects.filter(case_scope(user, prefix="case__"))
        .filter(status=DecisionStatus.PROPOSED, case__state=CaseState.DECISION_PENDING)
        .select_related("case__person", "case__team", "proposed_by")
    )
    if team is not None:
        decisions = decisions.filter(case__team=team)
    return decisions.order_by("proposed_at", "id")


def closures_awaiting_sign_off(*, user, team=None):
    """Cases whose closure awaits sign-off in the user's scope, longest waiting first."""
    cases = open_cases(user=user, team=team).filter(state=CaseState.CLOSURE_PENDING)
    return cases.order_by(F("closure_review__sent_at").asc(nulls_first=True), "received_at", "id")


def closure_rows():
    return Case.objects.select_related("person", "team", "enquiry__lead_practitioner", "closure_review__sent_by")


# --- Caseload by practitioner -----------------------------------------------------------


def team_practitioners(*, user, team=None):
    """Who may lead an enquiry (`cases.access.enquiry_leads`) in the teams the user works in (or
    one of them)."""
    users = enquiry_leads().filter(team_scope(user, "memberships__team"))
    if team is not None:
        users = users.filter(memberships__team=team)
    return users.distinct().order_by("first_name", "last_name", "username")


def caseloads(*, user, team=None, today=None):
    """One row per practitioner: open enquiries they lead in scope, the oldest one's start date,
    overdue plan actions and follow-ups due on them. Four queries whatever the caseload."""
    today = _today(today)
    enquiries = Enquiry.objects.filter(case_scope(user, prefix="case__")).filter(
        concluded_on__isnull=True, case__state__in=ENQUIRY_STATES, lead_practitioner__isnull=False
    )
    actions = outcome_selectors.overdue_plan_actions(user, on=today)
    followups = outcome_selectors.open_door_followups_due(user, on=today)
    if team is not None:
        enquiries = enquiries.filter(case__team=team)
        actions, followups = actions.filter(case__team=team), followups.filter(case__team=team)
    loads = {
        row["lead_practitioner"]: row
        for row in enquiries.values("lead_practitioner").annotate(open=Count("case"), oldest=Min("started_on"))
    }
    lead = "case__enquiry__lead_practitioner"
    overdue_actions = dict(actions.order_by().values_list(lead).annotate(n=Count("pk")))
    due_followups = dict(followups.order_by().values_list(lead).annotate(n=Count("pk")))
    rows = []
    for person in team_practitioners(user=user, team=team):
        load = loads.get(person.pk, {})
        rows.append(
            {
                "user": person,
                "open": load.get("open", 0),
                "oldest": load.get("oldest"),
                "overdue_actions": overdue_actions.get(person.pk, 0),
                "followups_due": due_followups.get(person.pk, 0),
            }
        )
    return rows


# --- My work ----------------------------------------------------------------------------


def my_cases(*, user):
    """Open enquiries the user leads, in scope, oldest first (load a page's rows with `my_case_rows`)."""
    return (
        Case.objects.filter(case_scope(user))
        .filter(state__in=ENQUIRY_STATES, enquiry__lead_practitioner=user, enquiry__concluded_on__isnull=True)
        .order_by("enquiry__started_on", "id")
    )


def my_case_rows():
    """A page of `my_cases` with each case's last contact and the next contact agreed then."""
    latest = Conversation.objects.filter(case_id=OuterRef("pk")).order_by("-held_on", "-id")
    return Case.objects.select_related("person", "team", "enquiry").annotate(
        last_contact=Subquery(latest.values("held_on")[:1]),
        next_contact_on=Subquery(latest.values("next_contact_on")[:1]),
    )


def next_contacts_due(*, user, within_days=7, today=None):
    """Latest conversations on the user's open enquiries whose agreed next contact date is past
    or within `within_days` days, soonest first."""
    horizon = _today(today) + datetime.timedelta(days=within_days)
    later = Conversation.objects.filter(case_id=OuterRef("case_id")).filter(
        Q(held_on__gt=OuterRef("held_on")) | Q(held_on=OuterRef("held_on"), id__gt=OuterRef("id"))
    )
    return (
        Conversation.objects.filter(case_scope(user, prefix="case__"))
        .filter(
            case__state__in=ENQUIRY_STATES,
            case__enquiry__lead_practitioner=user,
            case__enquiry__concluded_on__isnull=True,
            next_contact_on__lte=horizon,
        )
        .exclude(Exists(later))
        .select_related("case__person", "case__team")
        .order_by("next_contact_on", "id")
    )


#: A decision a manager returned, on a case still at the concern stage (waiting for a new proposal).
RETURNED_DECISION_Q = Q(status=DecisionStatus.RETURNED, case__state=CaseState.CONCERN)


def returned_decisions(*, user):
    """Decisions the user proposed that a manager returned, on cases still at the concern stage."""
    return (
        Decision.objects.filter(case_scope(user, prefix="case__"))
        .filter(RETURNED_DECISION_Q, proposed_by=user)
        .select_related("case__person", "case__team", "reviewed_by")
        .order_by("reviewed_at", "id")
    )
