"""Synthetic Safeguarding Adults Reviews for tests (invented people only)."""

import datetime

import factory

from accounts.tests.factories import UserFactory
from sars.models import Decision, Harm, Recommendation, SafeguardingAdultsReview, SarPerson


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeguardingAdultsReview

    referred_on = datetime.date(2024, 5, 1)
    criteria = "s44_1"
    decision = Decision.PROCEED
    decided_on = datetime.date(2024, 6, 1)
    reviewer = "Independent reviewer"
    created_by = factory.SubFactory(UserFactory, role="lead")


class SarPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SarPerson

    review = factory.SubFactory(ReviewFactory)
    name = factory.Sequence(lambda n: f"Synthetic Person {n}")
    harm = Harm.DIED
    added_by = factory.SelfAttribute("review.created_by")


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    finding = "Agencies did not share what they knew."
    text = "Agree a protocol for sharing information about adults who decline support."
    owner = "Board business manager"
    added_by = factory.SelfAttribute("review.created_by")


def concluded_review(*, concluded_on, harms, statuses=(), lead=None):
    """A review concluded on `concluded_on` with one person per harm code and one
    recommendation per status (completed ones completed on the conclusion day)."""
    extra = {"created_by": lead} if lead is not None else {}
    review = ReviewFactory(concluded_on=concluded_on, decided_on=concluded_on - datetime.timedelta(days=90), **extra)
    review.referred_on = review.decided_on - datetime.timedelta(days=30)
    review.save()
    for harm in harms:
        SarPersonFactory(review=review, harm=harm)
    for status in statuses:
        RecommendationFactory(
            review=review, status=status, completed_on=concluded_on if status == "completed" else None
        )
    return review
