"""Synthetic organisational enquiries for tests (invented providers and people only)."""

import datetime

import factory

from accounts.tests.factories import UserFactory
from organisational.models import LinkedCase, OrganisationalAction, OrganisationalEnquiry
from partnership.tests.factories import PartnerOrganisationFactory


class OrganisationalEnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationalEnquiry

    provider = factory.SubFactory(PartnerOrganisationFactory)
    concern = "Three concerns about night-time care in one month."
    opened_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    opened_by = factory.SubFactory(UserFactory, role="lead")
    lead_officer = factory.SelfAttribute("opened_by")


class LinkedCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkedCase

    enquiry = factory.SubFactory(OrganisationalEnquiryFactory)
    linked_by = factory.SelfAttribute("enquiry.opened_by")


class OrganisationalActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationalAction

    enquiry = factory.SubFactory(OrganisationalEnquiryFactory)
    action = "Provider to send the night staff rota."
    responsible = "Registered manager"
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    recorded_by = factory.SelfAttribute("enquiry.opened_by")
