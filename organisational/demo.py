"""Demo organisational enquiries (`settings.DEMO_DATA_EXTENSIONS`, after the providers): an open
enquiry about the first demo provider linking several adults whose risks name it, with updates
from the provider and the regulator, a meeting and two actions (one done); and an older, concluded
enquiry about the second provider. Written through the services, so the adults' chronology lines
and the audit entries are those of real use. Synthetic only."""

import datetime

from django.utils import timezone

from accounts.models import Role, User
from cases.models import OPEN_STATES, CaseState
from partnership.demo import provider_cases
from partnership.models import PartnerOrganisation

from . import services
from .models import OrganisationalEnquiry


def add_demo_organisational(case_ids_by_state, rng, stdout):
    lead = User.objects.filter(role=Role.LEAD).order_by("pk").first()
    providers = list(PartnerOrganisation.objects.providers().order_by("pk")[:2])
    if OrganisationalEnquiry.objects.exists():
        stdout.write("Organisational enquiries: some already exist, none added.")
        return 0
    if lead is None or not providers:
        stdout.write("Organisational enquiries: no lead or no provider, none added.")
        return 0
    cases = provider_cases(providers[0], states=OPEN_STATES, limit=5)
    if len(cases) < 2:
        stdout.write("Organisational enquiries: too few open cases name a provider, none added.")
        return 0
    today = timezone.localdate()
    days = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    home = providers[0]
    enquiry = services.open_enquiry(
        actor=lead,
        data={
            "provider": home,
            "concern": f"{len(cases)} concerns in two months about night care and missed medication at {home.name}.",
            "opened_on": days(35),
            "lead_officer": lead,
        },
    )
    services.link_cases(actor=lead, enquiry=enquiry, cases=cases)
    services.add_update(
        actor=lead, enquiry=enquiry,
        data={"source": "provider", "received_on": days(21), "summary": "The registered manager sent the night rota "
              "and an action plan: two extra night staff from next week and a new medication audit."},
    )  # fmt: skip
    services.add_update(
        actor=lead, enquiry=enquiry,
        data={"source": "regulator", "received_on": days(14), "summary": "CQC (demo) will bring its inspection "
              "forward and share its findings with the enquiry."},
    )  # fmt: skip
    meeting = services.record_meeting(
        actor=lead, enquiry=enquiry,
        data={"kind": "strategy", "held_on": days(28), "decisions": "Each adult's own enquiry carries on; the provider "
              "to review night staffing and medication; commissioners to visit weekly.",
              "minutes": "Demo minutes of an organisational strategy meeting."},
        staff=[lead], attendees=[("Registered manager (demo)", home.name), ("Commissioning officer (demo)", "Council")],
    )  # fmt: skip
    done = services.add_action(
        actor=lead, enquiry=enquiry,
        data={"action": "Send the night staff rota for the last eight weeks.", "responsible": "Registered manager",
              "due_on": days(21), "meeting": meeting},
    )  # fmt: skip
    services.complete_action(actor=lead, action=done, done_on=days(22))
    services.add_action(
        actor=lead, enquiry=enquiry,
        data={"action": "Weekly visits by the commissioners, reported to the lead officer.",
              "responsible": "Commissioning team", "due_on": today + datetime.timedelta(days=14), "meeting": meeting},
    )  # fmt: skip
    concluded = 0
    if len(providers) > 1 and len(earlier := provider_cases(providers[1], states=[CaseState.CLOSED], limit=2)) == 2:
        older = services.open_enquiry(
            actor=lead,
            data={"provider": providers[1], "concern": "Two concerns about missed home-care visits in one week.",
                  "opened_on": days(300), "lead_officer": lead},
        )  # fmt: skip
        services.link_cases(actor=lead, enquiry=older, cases=earlier)
        services.conclude(
            actor=lead, enquiry=older, concluded_on=days(240),
            conclusion="The agency changed its rota system; no further concerns in the following three months.",
        )  # fmt: skip
        concluded = 1
    stdout.write(
        f"Organisational enquiries: 1 open about {home.name} with {len(cases)} adults' cases, "
        f"2 updates, 1 meeting, 2 actions; {concluded} concluded."
    )
    return len(cases)
