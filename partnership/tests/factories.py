import datetime

import factory
from django.utils import timezone

from cases.tests.factories import CaseFactory
from partnership.models import CausedEnquiry, InformationShare, Meeting, PartnerOrganisation


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Synthetic Care Homes {n} Ltd")
    sector = "care_provider"
    cqc_registered = True


class CausedEnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CausedEnquiry

    case = factory.SubFactory(CaseFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)
    asked = "Review the night staff's records for the week of the fall."
    contact = "Registered manager, 01632 960000"
    requested_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    case = factory.SubFactory(CaseFactory)
    kind = "strategy"
    held_on = factory.LazyFunction(timezone.localdate)
    adult_attended = True
    advocate_attended = False
    decisions = "Proceed to a s42 enquiry; the provider to review its records."


class InformationShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationShare

    case = factory.SubFactory(CaseFactory)
    direction = "shared"
    categories = ["concern"]
    details = "The concern and the safety plan."
    partner = factory.SubFactory(PartnerOrganisationFactory)
    shared_on = factory.LazyFunction(timezone.localdate)
    lawful_basis = "public_task"
    consented = True
