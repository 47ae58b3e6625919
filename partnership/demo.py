"""Demo partnership records (`settings.DEMO_DATA_EXTENSIONS`): a few partner organisations, an
enquiry caused to one of them, a strategy meeting with an action in the plan, and a few records
of information shared, one without consent awaiting a manager's review. Synthetic only."""

import datetime

from django.utils import timezone

from cases.models import CaseState, Enquiry, Risk
from outcomes.models import PlanAction

from .models import CausedEnquiry, InformationShare, Meeting, MeetingAction, MeetingAttendee, PartnerOrganisation

ORGANISATIONS = [
    ("Synthetic Meadows Care Home", "care_provider", True),
    ("Northshire Police (demo)", "police", False),
    ("Synthetic NHS Foundation Trust", "health", False),
    ("Example Housing Association", "housing", False),
]
#: Providers' details: (name, type of service, CQC location id, made up: "1-9..." is not a real range).
PROVIDERS = [
    ("Synthetic Meadows Care Home", "Residential care home", "1-900000001"),
    ("Synthetic Home Care Agency", "Home care", "1-900000002"),
    ("Synthetic Oaks Nursing Home", "Nursing home", "1-900000003"),
]
#: One more synthetic provider per this many cases (a large dataset has many providers).
CASES_PER_EXTRA_PROVIDER = 25_000


def add_demo_providers(stdout):
    """The demo's providers, with their details, and a provider named on two in three of the
    risks whose source is a service provider (one SQL statement: it runs on a million cases)."""
    from django.db import connection

    from cases.models import Case, Risk

    extra = [
        (f"Synthetic Care Group Home {n}", "Residential care home", f"1-91{n:07d}")
        for n in range(1, Case.objects.count() // CASES_PER_EXTRA_PROVIDER + 1)
    ]
    providers = []
    for name, service, location in PROVIDERS + extra:
        organisation, _ = PartnerOrganisation.objects.update_or_create(
            name=name,
            defaults={
                "sector": "care_provider",
                "cqc_registered": True,
                "service_type": service,
                "cqc_location_id": location,
            },
        )
        providers.append(organisation.pk)
    # Risk ids spread over the providers, each third left unnamed ("not on the list"); weighted
    # towards the first provider, so the demo shows a pattern.
    spread = [providers[0], *providers]
    cases = " ".join(f"WHEN {n} THEN {pk}" for n, pk in enumerate(spread))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Risk._meta.db_table} SET provider_id = CASE (id / 3) %% {len(spread)} {cases} END "  # noqa: S608 - integers only
            "WHERE source = %s AND provider_id IS NULL AND id %% 3 <> 0",
            ["service_provider"],
        )
        named = cursor.rowcount
    stdout.write(f"Providers: {len(providers)} with their details, named on {named} risks.")
    return named


def add_demo_partnership(case_ids_by_state, rng, stdout):
    """Add the demo's partner organisations and providers and, on open enquiries, one of each
    partnership record."""
    organisations = [
        PartnerOrganisation.objects.get_or_create(name=name, defaults={"sector": sector, "cqc_registered": cqc})[0]
        for name, sector, cqc in ORGANISATIONS
    ]
    add_demo_providers(stdout)
    ids = list(case_ids_by_state.get(CaseState.ENQUIRY_OPEN, []) or case_ids_by_state.get("enquiry_open", []))
    enquiries = list(
        Enquiry.objects.filter(case_id__in=ids[:3], lead_practitioner__isnull=False).select_related("case")
    )
    today = timezone.localdate()
    shares = 0
    for index, enquiry in enumerate(enquiries):
        case, lead = enquiry.case, enquiry.lead_practitioner
        if index == 0:
            CausedEnquiry.objects.create(
                case=case,
                partner=organisations[0],
                asked="Review the care records and staff rota for the week of the concern.",
                contact="Registered manager (demo)",
                requested_on=today - datetime.timedelta(days=12),
                due_on=today - datetime.timedelta(days=2),
                requested_by=lead,
                acknowledged_on=today - datetime.timedelta(days=10),
            )
            meeting = Meeting.objects.create(
                case=case,
                kind="strategy",
                held_on=today - datetime.timedelta(days=13),
                adult_attended=False,
                advocate_attended=True,
                views_brought_in="Seen at home beforehand; the advocate read out their wishes.",
                decisions="Proceed to a section 42 enquiry; the provider to make enquiries.",
                minutes="Demo minutes of a strategy discussion.",
                recorded_by=lead,
            )
            meeting.staff.set([lead])
            MeetingAttendee.objects.create(meeting=meeting, name="DC Sam Demo", organisation=organisations[1].name)
            action = PlanAction.objects.create(
                case=case,
                action="Check the care home's night checks weekly.",
                responsible="Lead practitioner",
                due_on=today + datetime.timedelta(days=7),
                recorded_by=lead,
            )
            MeetingAction.objects.create(meeting=meeting, plan_action=action)
        consented = index != 1
        InformationShare.objects.create(
            case=case,
            direction=rng.choice(["shared", "received"]),
            categories=["concern", "risk"],
            partner=organisations[index % len(organisations)],
            shared_on=today - datetime.timedelta(days=rng.randint(1, 20)),
            shared_by=lead,
            lawful_basis="public_task",
            consented=consented,
            no_consent_reason="" if consented else "risk_to_others",
            adult_told=None if consented else True,
        )
        shares += 1
    stdout.write(
        f"Partnership: {len(organisations)} partner organisations, {min(len(enquiries), 1)} caused enquiry, "
        f"{min(len(enquiries), 1)} meeting, {shares} information shares."
    )
    return shares


def provider_cases(provider, *, states, limit):
    """Up to `limit` of the newest cases in `states` whose risks name `provider`, one per adult
    (read from the index of the provider's risks; never a walk over every risk)."""
    cases, adults = [], set()
    risks = Risk.objects.filter(provider=provider, case_state__in=states).select_related("case")
    for risk in risks.order_by("-case_received_at")[: limit * 10]:
        if risk.case.person_id not in adults:
            adults.add(risk.case.person_id)
            cases.append(risk.case)
        if len(cases) == limit:
            break
    return cases
