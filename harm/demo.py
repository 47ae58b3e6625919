"""Demo people alleged to have caused harm (`settings.DEMO_DATA_EXTENSIONS`, after the
providers): a care worker of the first demo provider named on three adults' risks (two of the
records recorded apart, left for a lead to find and merge), in a position of trust and referred
to their employer, with an older referral's outcome; and a relative on one adult's case.
Every person is invented; the names are plainly made up."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.models import OPEN_STATES, Case, CaseState, Risk
from partnership.demo import provider_cases
from partnership.models import PartnerOrganisation

from .models import PersonAlleged, RiskPerson, TrustReferral

CARE_WORKER = "Demo Careworker Ashbourne"


def _person(creator, **fields):
    base = {"care_needs": "no", "position_of_trust": "no", "employer": ""}
    return PersonAlleged.objects.create(created_by=creator, **{**base, **fields})


def _name(person, risk, relationship, user):
    RiskPerson.objects.create(risk=risk, case_id=risk.case_id, person=person, relationship=relationship, added_by=user)


@transaction.atomic
def add_demo_people(case_ids_by_state, rng, stdout):
    lead = User.objects.filter(role=Role.LEAD).order_by("pk").first()
    provider = PartnerOrganisation.objects.providers().order_by("pk").first()
    if lead is None or provider is None or PersonAlleged.objects.exists():
        return 0
    # The first of the adults in the demo's organisational enquiry (the newest open cases naming the provider).
    cases = provider_cases(provider, states=OPEN_STATES, limit=3)
    risks = [case.risks.filter(provider=provider).order_by("id").first() for case in cases]
    if len(risks) < 2:
        stdout.write("People alleged to have caused harm: too few open cases name a provider, none added.")
        return 0
    today = timezone.localdate()
    worker = _person(
        lead, name=CARE_WORKER, date_of_birth=datetime.date(1984, 6, 2),
        position_of_trust="employed_adults", employer=provider.name, provider=provider,
    )  # fmt: skip
    # The same person recorded again on another adult's case, before anyone linked the two.
    again = _person(lead, name=CARE_WORKER.upper(), position_of_trust="employed_adults", employer=provider.name)
    for index, risk in enumerate(risks):
        _name(again if index == 1 else worker, risk, "provider_staff", lead)
    TrustReferral.objects.create(
        person=worker, case_id=risks[0].case_id, employer=provider.name, outcome="awaiting",
        referred_on=today - datetime.timedelta(days=6), recorded_by=lead,
    )  # fmt: skip
    TrustReferral.objects.create(
        person=worker, employer="Synthetic Home Care Agency (a former employer)", outcome="support",
        referred_on=today - datetime.timedelta(days=400), outcome_on=today - datetime.timedelta(days=370),
        outcome_notes="Supervision and moving-and-handling training; no further concerns then.", recorded_by=lead,
    )  # fmt: skip
    relative = _person(lead, name="Demo Relative Bramling", care_needs="yes", position_of_trust="not_known")
    family = Risk.objects.filter(case__state=CaseState.ENQUIRY_OPEN, source="known").order_by("-id").first()
    if family is not None:
        _name(relative, family, "family", lead)
    named = RiskPerson.objects.count()
    cases = Case.objects.filter(people_alleged__isnull=False).distinct().count()
    stdout.write(
        f"People alleged to have caused harm: 3 records, named on {named} risks of {cases} cases, 2 referrals."
    )
    return named
