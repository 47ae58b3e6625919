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


def concern_form_data(team, **overrides):
    """POST data for the "Record a concern" page: a synthetic adult and concern."""
    data = {
        "person-legal_name": "Margaret Synthetica Oakes",
        "person-preferred_name": "Peggy",
        "person-date_of_birth": "1938-02-11",
        "person-nhs_number": "",
        "person-gender": "female",
        "person-ethnicity": "white",
        "person-primary_support_reason": "memory_cognition",
        "person-communication_needs": "Hearing aid; speak slowly.",
        "person-address": "1 Example Row, Testtown",
        "person-representative_contacts": "",
        "concern-team": str(team.pk),
        "concern-received_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "concern-referrer_name": "Sam Referrer",
        "concern-referrer_agency": "Example Home Care",
        "concern-referrer_relationship": "Care worker",
        "concern-what_happened": "Bank cards missing; nephew visiting daily.",
        "concern-abuse_types": ["financial", "psychological"],
        "concern-location_of_risk": "own_home",
        "concern-source_of_risk": "known",
        "concern-immediate_actions": "Bank contacted.",
        "concern-adult_aware": "yes",
        "concern-adult_wants": "I want my money to be safe but I don't want him in trouble.",
    }
    data.update(overrides)
    return data


def decision_form_data(**overrides):
    data = {
        "has_care_and_support_needs": "True",
        "care_and_support_rationale": "Dementia; home care four times a day.",
        "experiencing_abuse_or_neglect": "True",
        "abuse_or_neglect_rationale": "Money is missing.",
        "cannot_protect_self": "True",
        "protect_self_rationale": "Relies on the nephew.",
        "outcome": "s42",
        "signposting": "",
    }
    data.update(overrides)
    return data
