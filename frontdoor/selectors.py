"""Reads at the front door: the screening queue, one submission, and the figures for the
dashboard and My work. Everything starts from `accounts.access.screens_front_door`."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts import access

from .models import ReferrerFeedback, Submission


def screening_queue(*, user):
    """Submissions awaiting screening, oldest due first; none for anyone outside the front door."""
    if not access.screens_front_door(user):
        return Submission.objects.none()
    return Submission.objects.awaiting_screening().order_by("screening_due", "received_at", "id")


def recently_screened(*, user, limit=20):
    if not access.screens_front_door(user):
        return Submission.objects.none()
    return (
        Submission.objects.filter(screening__isnull=False)
        .select_related("screening__screened_by", "screening__case")
        .order_by("-screening__screened_at")[:limit]
    )


def get_submission_for_user(user, pk):
    """One submission through the policy: 404 for anyone who does not screen the front door."""
    if not access.screens_front_door(user):
        raise Http404("No such submission.")
    submission = Submission.objects.select_related("screening__screened_by", "screening__case").filter(pk=pk).first()
    if submission is None:
        raise Http404("No such submission.")
    return submission


def screening_summary(*, user, today=None):
    """For the team dashboard and My work: how many submissions await screening and how many of
    those are past their screening date, or None for someone who does not screen them."""
    if not access.screens_front_door(user):
        return None
    today = today or timezone.localdate()
    return Submission.objects.awaiting_screening().aggregate(
        awaiting=Count("id"), overdue=Count("id", filter=Q(screening_due__lt=today))
    )


def referrer_feedback(*, case):
    return ReferrerFeedback.objects.filter(case=case).select_related("recorded_by")
