"""Reads for the independent follow-up: who may make one, the "feedback due" queue, and the
figures on the team dashboard. Every read starts from the access policy."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import TeamMembership
from cases.models import Case, CaseState
from msp.timezone import LONDON

from .models import FeedbackItem, FeedbackResponse, FollowUpReviewer, Route


def window():
    return datetime.timedelta(days=settings.FEEDBACK_FOLLOW_UP_DAYS)


def reviewer_teams(user):
    """The teams whose follow-ups `user` makes: named by a lead, and not (or no longer) a member."""
    if not access.works_cases(user):
        return FollowUpReviewer.objects.none().values("team_id")
    member = TeamMembership.objects.filter(user=user, team_id=OuterRef("team_id"))
    return FollowUpReviewer.objects.filter(user=user).exclude(Exists(member)).values("team_id")


def _awaiting():
    """Closed enquiries with no independent follow-up yet (restricted cases never: only their
    named users may see them)."""
    followed = FeedbackResponse.objects.filter(case_id=OuterRef("pk"), route=Route.INDEPENDENT)
    return Case.objects.filter(state=CaseState.CLOSED, restricted=False, enquiry__concluded_on__isnull=False).exclude(
        Exists(followed)
    )


def reviewer_pairs():
    """(team id, user id) of every active reviewer who may make a team's follow-ups (the same
    rule as `reviewer_teams`, for all users at once: the reminders sweep)."""
    member = TeamMembership.objects.filter(user_id=OuterRef("user_id"), team_id=OuterRef("team_id"))
    return (
        FollowUpReviewer.objects.filter(user__is_active=True, user__role__in=list(access.CASE_WORKERS))
        .exclude(Exists(member))
        .values_list("team_id", "user_id")
    )


def _concluded_since(day):
    """Enquiries concluded on or after `day`, narrowed first by the case's closure time (set
    with `concluded_on` at sign-off and import; a day's margin), which the partial indexes
    `case_team_closed` and `case_closed` answer: a team's dashboard reads its few weeks of
    closures, not every closed case of the team (docs/performance.md)."""
    since = datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON) - datetime.timedelta(days=1)
    return Q(closed_at__gte=since, enquiry__concluded_on__gte=day)


def awaiting_follow_up(today=None):
    """Closed enquiries still waiting for an independent follow-up within the window."""
    today = today or timezone.localdate()
    return _awaiting().filter(_concluded_since(today - window()))


def follow_ups_due(user, today=None):
    """The "feedback due" queue of a named reviewer: their teams' enquiries closed within the
    follow-up window and not yet followed up, the nearest deadline first."""
    return (
        awaiting_follow_up(today)
        .filter(team_id__in=reviewer_teams(user))
        .select_related("person", "team", "enquiry")
        .annotate(closed_on=F("enquiry__concluded_on"))
        .order_by("enquiry__concluded_on", "pk")
    )


def follow_up_case(user, pk, today=None):
    """One case of the user's queue (404 otherwise: a reviewer sees nothing else of any case)."""
    case = follow_ups_due(user, today).filter(pk=pk).first()
    if case is None:
        raise Http404("No such follow-up.")
    return case


def due_by(closed_on):
    return closed_on + window()


def follow_up_figures(*, user, team=None, today=None):
    """For the team dashboard: closed enquiries of the user's teams (or `team`) awaiting an
    independent follow-up within the window, and those whose window passed without one (closed
    in the 26 weeks before it). One query; None for someone who sees no team's cases."""
    if not access.manages(user):
        return None
    today = today or timezone.localdate()
    cases = _awaiting().filter(access.team_scope(user), _concluded_since(today - datetime.timedelta(weeks=26)))
    if team is not None:
        cases = cases.filter(team=team)
    start = today - window()
    return cases.aggregate(
        due=Count("pk", filter=Q(enquiry__concluded_on__gte=start)),
        missed=Count("pk", filter=Q(enquiry__concluded_on__lt=start)),
    )


def reviewers():
    return FollowUpReviewer.objects.select_related("team", "user", "added_by").order_by("team__name", "user__username")


def quotes_waiting():
    """Words given with consent to share them, waiting for a lead (oldest quarter first)."""
    from .models import QuoteStatus

    return (
        FeedbackResponse.objects.filter(quote_status=QuoteStatus.PENDING, share_consent=True)
        .exclude(anything_else="")
        .select_related("team")
        .order_by("quarter_start", "id")
    )


def approved_quotes(*, quarters, team=None):
    """[(route label, words)] approved for the board, of questionnaires in `quarters` (and `team`)."""
    from .models import QuoteStatus

    rows = FeedbackResponse.objects.filter(
        quote_status=QuoteStatus.APPROVED, share_consent=True, quarter_start__in=quarters
    ).exclude(anything_else="")
    if team is not None:
        rows = rows.filter(team=team)
    return [(r.get_route_display(), r.anything_else) for r in rows.order_by("quarter_start", "route", "id")]


#: Fewer independent or anonymous questionnaires than this, and the team's page does not show
#: that route's answers: a manager could otherwise guess whose they were.
ROUTE_FLOOR = 8


def team_feedback(user, *, start, end, team=None):
    """For the manager's practice-quality page: the answers to every question by route, over the
    quarters wholly inside start..end, for the user's teams (or `team`). One grouped query.

    The independent and anonymous routes are shown only from ROUTE_FLOOR questionnaires; answers
    given at closure are on the case records already."""
    from reporting.aggregation import Period, feedback_quarters

    from .questions import ANSWERS, QUESTIONS

    quarters = feedback_quarters(Period(start, end))
    counts = {}
    if quarters and access.manages(user):
        items = FeedbackItem.objects.filter(
            access.team_scope(user, "response__team"), response__quarter_start__in=quarters
        )
        if team is not None:
            items = items.filter(response__team=team)
        for row in items.values("response__route", "question", "answer").annotate(n=Count("id")).order_by():
            counts[(row["response__route"], row["question"], row["answer"])] = row["n"]
    routes = []
    first = QUESTIONS[0].code
    for route, label in Route.choices:
        answered = sum(n for (r, q, _a), n in counts.items() if r == route and q == first)
        shown = answered >= (1 if route == Route.AT_CLOSURE else ROUTE_FLOOR)
        routes.append({"route": route, "label": label, "answered": answered, "shown": shown})
    rows = []
    for question in QUESTIONS:
        cells = []
        for entry in routes:
            answers = [
                (ANSWERS[code], counts.get((entry["route"], question.code, code), 0))
                for code, _label in question.choices(staff=True)
            ]
            cells.append(
                {"label": entry["label"], "shown": entry["shown"], "answers": [(a, n) for a, n in answers if n]}
            )
        rows.append({"question": question, "cells": cells})
    return {"quarters": quarters, "routes": routes, "rows": rows, "floor": ROUTE_FLOOR}
