"""Reads at the front door: the screening queue, one submission, and the figures for the
dashboard and My work. Everything starts from `frontdoor.access.screens_front_door`."""

from django.db.models import Exists, IntegerField, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import TeamMembership

from .access import screens_front_door
from .models import FrontDoorSetting, ReferrerFeedback, Submission


def screening_queue(*, user):
    """Submissions awaiting screening, oldest due first; none for anyone outside the front door."""
    if not screens_front_door(user):
        return Submission.objects.none()
    return Submission.objects.awaiting_screening().order_by("screening_due", "received_at", "id")


def recently_screened(*, user, limit=20):
    if not screens_front_door(user):
        return Submission.objects.none()
    return (
        Submission.objects.filter(screening__isnull=False)
        .select_related("screening__screened_by", "screening__case")
        .order_by("-screening__screened_at")[:limit]
    )


def get_submission_for_user(user, pk):
    """One submission through the policy: 404 for anyone who does not screen the front door."""
    if not screens_front_door(user):
        raise Http404("No such submission.")
    submission = Submission.objects.select_related("screening__screened_by", "screening__case").filter(pk=pk).first()
    if submission is None:
        raise Http404("No such submission.")
    return submission


class _Count(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def screening_summary(*, user, today=None):
    """For the team dashboard and My work: how many submissions await screening and how many of
    those are past their screening date, or None for someone who does not screen them. One query
    (the pages' query budgets are fixed), the same one `access.screens_front_door` asks."""
    if not access.works_cases(user):
        return None
    today = today or timezone.localdate()
    settings_row = FrontDoorSetting.objects.all()
    if not access.is_lead(user):
        settings_row = settings_row.filter(
            Exists(TeamMembership.objects.filter(user=user, team_id=OuterRef("team_id")))
        )
    waiting = Submission.objects.awaiting_screening().order_by().values("id")
    return (
        settings_row.annotate(awaiting=_Count(waiting), overdue=_Count(waiting.filter(screening_due__lt=today)))
        .values("awaiting", "overdue")
        .first()
    )


def referrer_feedback(*, case):
    return ReferrerFeedback.objects.filter(case=case).select_related("recorded_by")
