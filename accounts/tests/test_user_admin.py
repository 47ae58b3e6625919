"""Administrators create and change users and teams, and reset a user's authenticator."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, Role, Team, User

pytestmark = pytest.mark.django_db


def _user_data(**overrides):
    data = {
        "username": "newstarter",
        "first_name": "Nova",
        "last_name": "Synthetic",
        "email": "nova@example.invalid",
        "job_title": "Social worker",
        "role": Role.PRACTITIONER,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_user_list_shows_users_and_teams(world, login):
    page = login(world.sysadmin).get(reverse("accounts:user_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert world.practitioner.username in html
    assert world.team_a.name in html


def test_administrator_creates_a_practitioner_in_a_team(world, login):
    client = login(world.lead)  # a lead's grant applies at once; a sysadmin's waits (test_separation_of_duties)
    response = client.post(reverse("accounts:user_create"), _user_data(teams=[world.team_a.pk]), follow=True)
    assert "Saved newstarter." in response.content.decode()
    user = User.objects.get(username="newstarter")
    assert list(user.teams.all()) == [world.team_a]
    assert not user.has_usable_password()  # they choose it through the invitation (test_account_links)


def test_the_user_form_has_no_password_field(world, login):
    html = login(world.sysadmin).get(reverse("accounts:user_create")).content.decode()
    assert "Initial password" not in html and 'type="password"' not in html


def test_practitioner_without_a_team_is_refused(world, login):
    response = login(world.sysadmin).post(reverse("accounts:user_create"), _user_data())
    assert "must belong to at least one team" in response.content.decode()


def test_editing_a_user_keeps_their_password(world, login):
    client = login(world.lead)
    target = world.practitioner
    data = _user_data(username=target.username, teams=[world.team_a.pk, world.team_b.pk])
    assert client.post(reverse("accounts:user_edit", args=[target.pk]), data).status_code == 302
    target.refresh_from_db()
    assert target.check_password("correct-horse-battery-9")
    assert set(target.teams.all()) == {world.team_a, world.team_b}


def test_administrator_creates_and_renames_a_team(world, login):
    client = login(world.sysadmin)
    assert client.post(reverse("accounts:team_create"), {"name": "East Team"}).status_code == 302
    team = Team.objects.get(name="East Team")
    assert client.post(reverse("accounts:team_edit", args=[team.pk]), {"name": "East and Coast"}).status_code == 302
    team.refresh_from_db()
    assert team.name == "East and Coast"


def test_duplicate_team_name_is_refused(world, login):
    response = login(world.sysadmin).post(reverse("accounts:team_create"), {"name": world.team_a.name})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_reset_two_factor_removes_the_device_and_the_password(world, login):
    TOTPDevice.objects.create(user=world.practitioner, name="Phone", confirmed=True)
    response = login(world.sysadmin).post(reverse("accounts:user_reset_two_factor", args=[world.practitioner.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.practitioner).exists()
    world.practitioner.refresh_from_db()
    assert not world.practitioner.has_usable_password()


def test_lead_sets_the_contact_details_adults_are_given_and_the_change_is_audited(world, login):
    client = login(world.lead)
    page = client.get(reverse("accounts:team_edit", args=[world.team_a.pk])).content.decode()
    assert "How adults get back in touch" in page and 'type="tel"' in page
    data = {
        "name": world.team_a.name,
        "contact_phone": "0300  123 4567",
        "contact_email": "north.safeguarding@example.org",
        "contact_address": "Town Hall\n  \n  1 Market Street \nDemoton DT1 1AA",
    }
    assert client.post(reverse("accounts:team_edit", args=[world.team_a.pk]), data).status_code == 302
    world.team_a.refresh_from_db()
    assert world.team_a.contact_phone == "0300 123 4567"
    assert world.team_a.contact_email == "north.safeguarding@example.org"
    assert world.team_a.contact_address == "Town Hall\n1 Market Street\nDemoton DT1 1AA"
    event = AuditEvent.objects.filter(object_type="accounts.team", action="update").latest("id")
    assert set(event.fields) >= {"contact_phone", "contact_email", "contact_address"}


def test_a_wrong_team_phone_number_is_refused_and_what_was_typed_is_kept(world, login):
    data = {"name": world.team_a.name, "contact_phone": "call Pat", "contact_email": "not-an-email"}
    response = login(world.lead).post(reverse("accounts:team_edit", args=[world.team_a.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a phone number using digits" in page and "Enter a valid email address" in page
    assert 'value="call Pat"' in page and 'value="not-an-email"' in page
    world.team_a.refresh_from_db()
    assert world.team_a.contact_phone == ""


@pytest.mark.django_db
def test_demo_teams_have_synthetic_contact_details_for_the_summary():
    from accounts.demo import DEMO_TEAMS, ensure_demo_users

    ensure_demo_users()
    for team in Team.objects.filter(name__in=DEMO_TEAMS):
        assert team.contact_phone.startswith("01632 960"), team  # Ofcom's drama range
        assert team.contact_email.endswith("@example.org") and team.contact_address
