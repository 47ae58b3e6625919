"""Providers: their details on the partner list, a risk naming the service provider, and the
page of concerns and enquiries per provider over a period (managers and leads)."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from cases import risks as risk_services
from cases.models import Case, CaseState, Risk
from cases.tests.factories import CaseFactory, concern_form_data, risk_form_data
from partnership import selectors
from partnership.models import PartnerOrganisation

from .factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db


def _concern(world, risks):
    data = {k: v for k, v in concern_form_data(world.team_a).items() if not k.startswith("risk-")}
    return {**data, **risk_form_data(risks)}


def test_a_lead_records_a_provider_s_service_type_and_cqc_location(world, login):
    client = login(world.lead)
    data = {
        "name": "Synthetic Meadows Care Home",
        "sector": "care_provider",
        "cqc_registered": "on",
        "service_type": "Residential care home",
        "cqc_location_id": "1-000000001",
        "active": "on",
    }
    assert client.post(reverse("partners:create"), data).status_code == 302
    organisation = PartnerOrganisation.objects.get()
    assert (organisation.service_type, organisation.cqc_location_id) == ("Residential care home", "1-000000001")
    listing = client.get(reverse("partners:list")).content.decode()
    assert "Residential care home" in listing and "1-000000001" in listing


def test_a_concern_s_risk_names_its_provider_and_the_case_page_shows_it(world, login):
    home = PartnerOrganisationFactory(name="Synthetic Meadows Care Home")
    client = login(world.practitioner)
    risk = {"types": ["neglect"], "location": "care_home_residential", "source": "service_provider"}
    form = client.get("/cases/new/").content.decode()
    assert "Which service provider" in form and "Synthetic Meadows Care Home" in form
    assert client.post("/cases/new/", _concern(world, [{**risk, "provider": str(home.pk)}])).status_code == 302
    case = Case.objects.latest("pk")
    assert case.risks.get().provider == home
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Service provider: Synthetic Meadows Care Home" in page


def test_a_provider_on_a_risk_not_caused_by_a_provider_is_refused_keeping_what_was_typed(world, login):
    home = PartnerOrganisationFactory()
    risk = {"types": ["financial"], "location": "own_home", "source": "known", "provider": str(home.pk)}
    before = Case.objects.count()
    response = login(world.practitioner).post("/cases/new/", _concern(world, [risk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Name a service provider only when a service provider may be causing the harm." in page
    assert "Bank cards missing; nephew visiting daily." in page
    assert Case.objects.count() == before
    # The service rule holds without the form too, and a made-up id is refused.
    with pytest.raises(ValidationError, match="only when the harm may be caused by a service provider"):
        risk_services.clean_risk(risk)
    with pytest.raises(ValidationError, match="not one of the partner organisations"):
        risk_services.clean_risk({**risk, "source": "service_provider", "provider": home.pk + 100})


def test_an_inactive_provider_is_not_offered_on_new_risks_but_stays_on_a_saved_one(world, login):
    gone = PartnerOrganisationFactory(name="Synthetic Closed Home", active=False)
    risk = world.case.risks.get()
    Risk.objects.filter(pk=risk.pk).update(source="service_provider", provider=gone)
    client = login(world.practitioner)
    assert "Synthetic Closed Home" not in client.get("/cases/new/").content.decode()
    correct = client.get(reverse("cases:risk_correct", args=[risk.pk])).content.decode()
    assert "Synthetic Closed Home" in correct


def test_correcting_the_provider_keeps_the_earlier_one_in_the_history(world, login):
    first, second = (
        PartnerOrganisationFactory(name="Synthetic First Home"),
        PartnerOrganisationFactory(name="Synthetic Second Home"),
    )
    risk = world.case.risks.get()
    Risk.objects.filter(pk=risk.pk).update(source="service_provider", provider=first, location="care_home_nursing")
    client = login(world.practitioner)
    data = {
        "types": ["financial"], "location": "care_home_nursing", "source": "service_provider",
        "provider": str(second.pk), "version": "1", "change_reason": "The wrong home was chosen.",
    }  # fmt: skip
    assert client.post(reverse("cases:risk_correct", args=[risk.pk]), data).status_code == 302
    risk.refresh_from_db()
    assert risk.provider == second
    event = AuditEvent.objects.get(object_type="cases.risk", object_id=str(risk.pk), action=AuditAction.UPDATE)
    assert event.fields == ["provider"]
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert "Synthetic First Home" in page and "Service provider: Synthetic Second Home" in page


# --- The provider pattern page ----------------------------------------------------------


def _provider_case(team, provider, *, days_ago=5, state=CaseState.CONCERN, when=None):
    received = when or timezone.now() - datetime.timedelta(days=days_ago)
    return CaseFactory(
        team=team,
        state=state,
        received_at=received,
        risks=[{"source": "service_provider", "location": "care_home_residential", "provider": provider}],
    )


def test_the_page_counts_concerns_open_ones_and_those_in_enquiry_per_provider_in_the_user_s_scope(world, login):
    home, agency = (
        PartnerOrganisationFactory(name="Synthetic Meadows"),
        PartnerOrganisationFactory(name="Synthetic Home Care Agency", service_type="Home care"),
    )
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=12)
    for n in range(3):  # three in one calendar month: a pattern
        _provider_case(world.team_a, home, when=month_start + datetime.timedelta(hours=n))
    _provider_case(world.team_a, home, state=CaseState.CLOSED, when=month_start + datetime.timedelta(hours=5))
    _provider_case(world.team_a, agency, state=CaseState.ENQUIRY_OPEN)
    _provider_case(world.team_a, agency, state=CaseState.ENQUIRY_OPEN, days_ago=400)  # before the period: left out
    _provider_case(world.team_b, agency)  # another team's: not the manager's to see
    period = {"start": now.date() - datetime.timedelta(days=90), "end": now.date()}

    def figures(user, name, fields=("concerns", "still_open", "busiest_month", "in_enquiry", "pattern")):
        rows = {r["organisation"].name: r for r in selectors.provider_patterns(user, **period)}
        return tuple(rows[name][field] for field in fields)

    assert figures(world.manager, "Synthetic Meadows") == (4, 3, 4, 0, True)
    assert figures(world.manager, "Synthetic Home Care Agency") == (1, 1, 1, 1, False)
    assert figures(world.lead, "Synthetic Home Care Agency", ("concerns",)) == (2,)

    response = login(world.manager).get(reverse("partners:providers"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Concerns by provider" in page and '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert "Synthetic Meadows: 4" in page  # the chart's description states the figures
    assert "Pattern" in page and "Home care" in page
    assert page.index("Synthetic Meadows") < page.index("Synthetic Home Care Agency")
    audit = AuditEvent.objects.get(action=AuditAction.SEARCH, detail="provider patterns")
    assert audit.actor == world.manager


def test_a_bad_period_is_explained_keeping_what_was_typed(world, login):
    client = login(world.lead)
    today = timezone.localdate()
    backwards = client.get(reverse("partners:providers"), {"start": today.isoformat(), "end": "2020-01-01"})
    assert "The end of the period must be on or after its start." in html.unescape(backwards.content.decode())
    too_long = client.get(reverse("partners:providers"), {"start": "2020-01-01", "end": today.isoformat()})
    assert "Choose a period of at most a year." in too_long.content.decode()
    typo = client.get(reverse("partners:providers"), {"start": "2025-02-30"}).content.decode()
    assert "Enter a real date." in typo and 'value="2025-02-30"' in typo  # what was typed is kept


def test_a_period_without_providers_says_so_and_draws_no_chart(world, login):
    page = login(world.lead).get(reverse("partners:providers")).content.decode()
    assert "No concern received in this period names a provider." in page and 'class="chart"' not in page


def test_a_month_is_a_london_calendar_month_and_a_moved_or_restricted_case_moves_its_figures(world):
    """The months are London's (a concern at 00:30 on 1 October in summer time is October's, though
    it is still 30 September in UTC); a case's state, team and restriction reach the page at once
    (the risk's copies of them are kept by triggers)."""
    from zoneinfo import ZoneInfo

    home = PartnerOrganisationFactory(name="Synthetic Meadows")
    london = ZoneInfo("Europe/London")
    year = timezone.localdate().year - 1
    late_september = datetime.datetime(year, 9, 30, 23, 30, tzinfo=london)
    early_october = [
        datetime.datetime(year, 10, 1, 0, 30, tzinfo=london) + datetime.timedelta(hours=n) for n in range(2)
    ]
    cases = [_provider_case(world.team_a, home, when=when) for when in (late_september, *early_october)]
    period = {"start": datetime.date(year, 9, 1), "end": datetime.date(year, 10, 31)}

    def figures(user):
        rows = selectors.provider_patterns(user, **period)
        return (rows[0]["concerns"], rows[0]["busiest_month"], rows[0]["still_open"]) if rows else None

    assert figures(world.manager) == (3, 2, 3)  # October holds two, September one
    Case.objects.filter(pk=cases[1].pk).update(state=CaseState.CLOSED)
    assert figures(world.manager) == (3, 2, 2)
    Case.objects.filter(pk=cases[2].pk).update(team=world.team_b)
    assert figures(world.manager) == (2, 1, 1)
    Case.objects.filter(pk=cases[0].pk).update(restricted=True)
    assert figures(world.manager) == (1, 1, 0)
    assert figures(world.lead) == (2, 2, 1)  # every team (both in October), but not the restricted case
