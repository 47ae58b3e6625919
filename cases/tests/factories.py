import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import TeamFactory
from cases.codes import AbuseType, EnquiryKind, LocationOfRisk, SourceOfRisk
from cases.models import Case, CaseAbuseType, CaseState, Decision, DecisionStatus, Enquiry, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    legal_name = factory.Sequence(lambda n: f"Testperson Synthetic{n}")
    preferred_name = factory.Sequence(lambda n: f"Tess{n}")
    date_of_birth = datetime.date(1940, 5, 17)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"TEST-{n:06d}")
    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    received_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    what_happened = "Synthetic account of a concern."
    location_of_risk = LocationOfRisk.OWN_HOME
    source_of_risk = SourceOfRisk.KNOWN

    @factory.post_generation
    def abuse(self, create, extracted, **kwargs):
        if create:
            for code in extracted or [AbuseType.FINANCIAL]:
                CaseAbuseType.objects.create(case=self, abuse_type=code)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    case = factory.SubFactory(CaseFactory, state=CaseState.DECISION_PENDING)
    has_care_and_support_needs = True
    care_and_support_rationale = "Receives home care four times a day."
    experiencing_abuse_or_neglect = True
    abuse_or_neglect_rationale = "Money taken from her account."
    cannot_protect_self = True
    protect_self_rationale = "Relies on the person suspected."
    outcome = "s42"
    status = DecisionStatus.PROPOSED
    proposed_at = factory.LazyFunction(timezone.now)


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    case = factory.SubFactory(CaseFactory, state=CaseState.ENQUIRY_OPEN)
    kind = EnquiryKind.S42
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
