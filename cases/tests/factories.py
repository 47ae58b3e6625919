import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import TeamFactory
from cases.codes import AbuseType, EnquiryKind, LocationOfRisk, SourceOfRisk
from cases.models import Case, CaseState, Decision, DecisionStatus, Enquiry, Person, Risk, RiskType


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

    @factory.post_generation
    def abuse(self, create, extracted, **kwargs):
        """The types of the default risk (`abuse=["neglect"]`)."""
        self._factory_abuse = list(extracted or [AbuseType.FINANCIAL])

    @factory.post_generation
    def risks(self, create, extracted, **kwargs):
        """`risks=[{"types": [...], "location": ..., "source": ..., "provider": ..., "assessment": ..., "result": ...}]`
        (every key optional); by default one risk of the `abuse` types, at home, by someone known."""
        if not create:
            return
        for spec in [{}] if extracted is None else extracted:
            risk = Risk.objects.create(
                case=self,
                location=spec.get("location", LocationOfRisk.OWN_HOME),
                source=spec.get("source", SourceOfRisk.KNOWN),
                provider=spec.get("provider"),
                assessment=spec.get("assessment", ""),
                result=spec.get("result", ""),
            )
            for code in spec.get("types", self._factory_abuse):
                RiskType.objects.create(risk=risk, abuse_type=code)


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
        **risk_form_data([{"types": ["financial", "psychological"], "location": "own_home", "source": "known"}]),
        "concern-immediate_actions": "Bank contacted.",
        "concern-adult_aware": "yes",
        "concern-adult_wants": "I want my money to be safe but I don't want him in trouble.",
    }
    data.update(overrides)
    return data


def risk_form_data(risks, prefix="risk"):
    """POST data of the concern form's risks (a formset): [{"types": [...], "location": ..., "source": ...}]."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(risks)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, risk in enumerate(risks):
        for name, value in risk.items():
            data[f"{prefix}-{index}-{name}"] = value
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
