"""Reads of the Safeguarding Adults Reviews register (safeguarding leads only: the views are
wrapped in `role_required(LEADS)`; nothing here is offered to any other role)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from cases.access import case_scope
from cases.models import Case

from .models import Harm, Recommendation, RecommendationStatus, SafeguardingAdultsReview, SarPerson


def reviews():
    """Every review, newest referral first, with its counts of people and open recommendations."""
    return SafeguardingAdultsReview.objects.annotate(
        people_count=Count("people", distinct=True),
        died_count=Count("people", filter=Q(people__harm=Harm.DIED), distinct=True),
        open_recommendations=Count(
            "recommendations", filter=~Q(recommendations__status=RecommendationStatus.COMPLETED), distinct=True
        ),
    )


def review(pk):
    """One review (404 if there is none)."""
    return get_object_or_404(SafeguardingAdultsReview, pk=pk)


def people_of(review):
    """The review's people with their linked case (shown only where the reader can see it)."""
    return review.people.select_related("case")


def visible_case(user, ref):
    """The case with this reference that `user` may see (`case_scope`), or None: a case outside
    the user's scope is as absent as one that does not exist."""
    return Case.objects.filter(case_scope(user)).filter(ref=ref.strip()).first()


def visible_case_ids(user, case_ids):
    """Of `case_ids`, those `user` may see (so a link to an out-of-scope case is not offered)."""
    return set(Case.objects.filter(case_scope(user)).filter(pk__in=case_ids).values_list("pk", flat=True))


def people_of_any():
    """Every review's people, with their review (for one person's page)."""
    return SarPerson.objects.select_related("review", "case")


def recommendations_of_any():
    """Every review's recommendations, with their review."""
    return Recommendation.objects.select_related("review")
