import datetime

import factory
from django.utils import timezone

from frontdoor.models import FrontDoorSetting, Submission


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A concern raised online by a (synthetic) professional."""

    class Meta:
        model = Submission

    reference = factory.Sequence(lambda n: f"RC-TEST-{n:04d}")
    received_at = factory.LazyFunction(timezone.now)
    screening_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1))
    referrer_type = "health"
    referrer_name = "Dr Synthetic Referrer"
    referrer_email = "gp.synthetic@example.org"
    referrer_organisation = "Synthetic Surgery"
    referrer_role = "GP"
    adult_knows = "yes"
    adult_agrees = "yes"
    adult_name = factory.Sequence(lambda n: f"Onlineperson Synthetic{n}")
    adult_date_of_birth = datetime.date(1941, 3, 2)
    what_happened = "Synthetic account: bruises seen at a home visit."
    where_happened = "own_home"
    harm_source = "known"
    immediate_danger = "no"


def front_door_team(team):
    """Make `team` the front door team (as a lead would)."""
    setting, _ = FrontDoorSetting.objects.update_or_create(pk=1, defaults={"team": team})
    return setting
