"""The demo's Safeguarding Adults Reviews: a handful over two years, with and without a death,
recommendations in every status, and their SG5 figures in the board's tables."""

import io
import random

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reporting.aggregation import Period, aggregate_sars
from sars.demo import add_demo_reviews
from sars.models import Harm, Recommendation, SafeguardingAdultsReview

pytestmark = pytest.mark.django_db


def test_the_demo_has_reviews_over_two_years_with_and_without_a_death():
    UserFactory(role=Role.LEAD)
    add_demo_reviews({}, random.Random(1), io.StringIO())
    concluded = SafeguardingAdultsReview.objects.exclude(concluded_on=None)
    years = {review.concluded_on.year for review in concluded}
    assert concluded.count() >= 4 and len(years) >= 2
    with_death = concluded.filter(people__harm=Harm.DIED).distinct().count()
    assert 0 < with_death < concluded.count()
    assert set(Recommendation.objects.values_list("status", flat=True)) == {"not_started", "in_progress", "completed"}
    assert SafeguardingAdultsReview.objects.filter(concluded_on=None).exists()  # one still under way
    today = timezone.localdate()
    two_years = aggregate_sars(Period(today.replace(year=today.year - 2), today))
    assert two_years["sg5a_sars"]["total"]["reviews"] == concluded.count()
    add_demo_reviews({}, random.Random(1), io.StringIO())  # run again: nothing added twice
    assert SafeguardingAdultsReview.objects.count() == 7
