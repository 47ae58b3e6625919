"""Synthetic people alleged to have caused harm, for tests (invented names only)."""

import datetime

import factory

from accounts.tests.factories import UserFactory
from harm.models import PersonAlleged, RiskPerson, TrustReferral


class PersonAllegedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAlleged

    name = factory.Sequence(lambda n: f"Demo Alleged Person {n}")
    care_needs = "no"
    position_of_trust = "employed_adults"
    employer = "Synthetic Care Agency"
    created_by = factory.SubFactory(UserFactory)


class RiskPersonFactory(factory.django.DjangoModelFactory):
    """`RiskPersonFactory(case=case)` names a new person on the case's first risk."""

    class Meta:
        model = RiskPerson

    person = factory.SubFactory(PersonAllegedFactory)
    relationship = "paid_carer"
    added_by = factory.SelfAttribute("person.created_by")
    risk = factory.LazyAttribute(lambda o: o.case.risks.order_by("id").first())


class TrustReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrustReferral

    person = factory.SubFactory(PersonAllegedFactory)
    employer = "Synthetic Care Agency"
    referred_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=5))
    outcome = "awaiting"
    recorded_by = factory.SelfAttribute("person.created_by")
