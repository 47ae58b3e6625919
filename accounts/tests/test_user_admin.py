"""Administrators create and change users and teams, and reset a user's authenticator."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, Team, User

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
