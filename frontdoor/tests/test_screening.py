"""Screening at the front door: a submission becomes a concern, or a contact with signposting."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import Case, CaseEvent
from cases.tests.factories import CaseFactory, PersonFactory
from frontdoor import services
from frontdoor.models import Screening
from frontdoor.tests.factories import SubmissionFactory, front_door_team

pytestmark = pytest.mark.django_db


def _concern_post(client, submission, **overrides):
    """Post the concern form as the page prefilled it, with an abuse type chosen."""
    page = client.get(reverse("frontdoor:concern", args=[submission.pk]))
    form = page.context["concern_form"]
    person = page.context["person_form"]
    data = {"submission_key": "a" * 32}
    for bound in (person, form):
        for field in bound:
            value = bound.initial.get(field.name, field.field.initial)
            if value is None or value is False:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            if isinstance(value, datetime.datetime):
                value = value.astimezone().strftime("%Y-%m-%dT%H:%M")
            data[field.html_name] = value
    risk = page.context["risk_formset"].forms[0]
    data.update(
        {
            "risk-TOTAL_FORMS": "1",
            "risk-INITIAL_FORMS": "0",
            "risk-0-types": ["physical"],
            "risk-0-location": risk.initial.get("location") or "own_home",
            "risk-0-source": risk.initial.get("source") or "known",
        }
    )
    data["concern-team"] = overrides.pop("team", None) or data.get("concern-team")
    data.update(overrides)
    return client.post(reverse("frontdoor:concern", args=[submission.pk]), data)


def test_a_practitioner_turns_a_submission_into_a_concern_with_the_referrer_as_its_source(world, login):
    front_door_team(world.team_a)
    submission = SubmissionFactory(referrer_type="police", referrer_name="PC Synthetic", referrer_organisation="Police")
    client = login(world.practitioner)
    response = _concern_post(client, submission)
    case = Case.objects.get(front_door_screening__submission=submission)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.referrer_type == "police"
    assert case.referrer_name.startswith("PC Synthetic") and case.referrer_agency == "Police"
    assert case.person.legal_name == submission.adult_name
    assert case.what_happened.startswith(submission.what_happened)
    assert case.team == world.team_a and case.decision_due is not None
    assert CaseEvent.objects.filter(case=case, kind="front_door", summary__contains=submission.reference).exists()
    assert submission.screening.outcome == "concern"


def test_the_submission_page_shows_possible_matches_of_known_adults(world, login):
    front_door_team(world.team_a)
    known = PersonFactory(legal_name="Margaret Oakes", date_of_birth=datetime.date(1941, 3, 2))
    CaseFactory(team=world.team_a, person=known)
    submission = SubmissionFactory(adult_name="M. Oakes", adult_date_of_birth=datetime.date(1941, 3, 2))
    page = login(world.practitioner).get(reverse("frontdoor:submission", args=[submission.pk])).content.decode()
    assert "Margaret Oakes" in page and "Same date of birth and a similar name" in page
    assert AuditEvent.objects.filter(object_type="frontdoor.submission", action="view").exists()


def test_a_concern_can_join_the_matching_adult(world, login):
    front_door_team(world.team_a)
    known = PersonFactory(legal_name="Margaret Oakes", date_of_birth=datetime.date(1941, 3, 2))
    CaseFactory(team=world.team_a, person=known)
    submission = SubmissionFactory(adult_name="Margaret Oakes", adult_date_of_birth=datetime.date(1941, 3, 2))
    client = login(world.practitioner)
    _concern_post(client, submission, **{"person_match-existing_person": str(known.pk)})
    assert submission.screening.case.person == known


def test_not_a_safeguarding_concern_is_a_contact_and_never_a_case(world, login):
    front_door_team(world.team_a)
    submission = SubmissionFactory()
    cases_before = Case.objects.count()
    client = login(world.manager)
    response = client.post(
        reverse("frontdoor:not_safeguarding", args=[submission.pk]),
        {"reason": "A housing repair, not abuse.", "signposting": "Council housing repairs line."},
    )
    assert response["Location"] == reverse("frontdoor:queue")
    screening = Screening.objects.get(submission=submission)
    assert screening.outcome == "not_safeguarding" and screening.case is None
    assert screening.signposting == "Council housing repairs line."
    assert Case.objects.count() == cases_before


def test_not_a_safeguarding_concern_needs_the_reason_and_signposting_and_keeps_what_was_typed(world, login):
    front_door_team(world.team_a)
    submission = SubmissionFactory()
    response = login(world.practitioner).post(
        reverse("frontdoor:not_safeguarding", args=[submission.pk]), {"reason": "Synthetic reason"}
    )
    page = response.content.decode()
    assert "Say where the person was signposted." in page and "Synthetic reason" in page
    assert not Screening.objects.exists()


def test_a_submission_is_screened_once(world):
    front_door_team(world.team_a)
    submission = SubmissionFactory()
    services.screen_not_safeguarding(actor=world.practitioner, submission=submission, reason="r", signposting="s")
    with pytest.raises(ValidationError):
        services.screen_not_safeguarding(actor=world.colleague, submission=submission, reason="r", signposting="s")


def test_someone_outside_the_front_door_team_cannot_screen(world):
    front_door_team(world.team_a)
    submission = SubmissionFactory()
    for actor in (world.outsider, world.sab_member, world.sysadmin):
        with pytest.raises(PermissionDenied):
            services.screen_not_safeguarding(actor=actor, submission=submission, reason="r", signposting="s")


def test_the_queue_lists_what_awaits_screening_oldest_due_first(world, login):
    front_door_team(world.team_a)
    today = datetime.date.today()
    later = SubmissionFactory(screening_due=today + datetime.timedelta(days=2))
    overdue = SubmissionFactory(screening_due=today - datetime.timedelta(days=1))
    page = login(world.colleague).get(reverse("frontdoor:queue")).content.decode()
    assert page.index(overdue.reference) < page.index(later.reference)
    assert "(overdue)" in page


def test_screening_is_due_on_the_working_day_clock(settings):
    settings.FRONT_DOOR_SCREENING_WORKING_DAYS = 1
    friday = datetime.datetime(2026, 4, 3, 10, 0, tzinfo=datetime.UTC)  # Good Friday, then Easter Monday
    assert services.screening_due_date(friday) == datetime.date(2026, 4, 7)
    tuesday = datetime.datetime(2026, 6, 2, 10, 0, tzinfo=datetime.UTC)
    assert services.screening_due_date(tuesday) == datetime.date(2026, 6, 3)


def test_the_dashboard_and_my_work_show_the_screening_figures(world, login):
    front_door_team(world.team_a)
    SubmissionFactory(screening_due=datetime.date.today() - datetime.timedelta(days=3))
    SubmissionFactory()
    for user, name in ((world.manager, "workspace:dashboard"), (world.practitioner, "workspace:my_work")):
        page = login(user).get(reverse(name)).content.decode()
        assert 'id="figure-screening"' in page
        assert '>2<span class="visually-hidden"> awaiting screening' in page
        assert '>1<span class="visually-hidden"> overdue for screening' in page
    page = login(world.manager_b).get(reverse("workspace:dashboard")).content.decode()
    assert 'id="figure-screening"' not in page


def test_a_lead_chooses_the_front_door_team(world, login):
    client = login(world.lead)
    response = client.post(reverse("frontdoor:team"), {"team": world.team_b.pk})
    assert response["Location"] == reverse("frontdoor:queue")
    assert services.front_door_team() == world.team_b
    assert AuditEvent.objects.filter(object_type="frontdoor.frontdoorsetting").exists()
    client.force_login(world.manager_b)
    assert client.get(reverse("frontdoor:queue")).status_code == 200
    client.force_login(world.manager)
    assert client.get(reverse("frontdoor:queue")).status_code == 403
