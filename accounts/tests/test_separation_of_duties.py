"""Account administration is a security boundary (issue 12, point 1).

Nobody changes their own role, teams or active status; a grant that opens case data (the
practitioner, manager or lead role, a team, a named grant on a restricted case) takes effect
only when a safeguarding lead other than the requester, and never the subject, approves it.
"""

import pytest
from django.urls import reverse

from accounts.models import AccessGrantRequest, AuditEvent, GrantOutcome, Role, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _edit_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "is_active": "on",
        "teams": [team.pk for team in user.teams.all()],
    }
    data.update(overrides)
    return data


def _case_page(client, case):
    return client.get(reverse("cases:detail", args=[case.pk])).status_code


def test_sysadmin_raising_their_own_role_to_lead_is_refused_and_opens_no_case(world, login):
    client = login(world.sysadmin)
    response = client.post(
        reverse("accounts:user_edit", args=[world.sysadmin.pk]), _edit_data(world.sysadmin, role=Role.LEAD)
    )
    assert response.status_code == 200
    assert "You cannot change your own role" in response.content.decode()
    world.sysadmin.refresh_from_db()
    assert world.sysadmin.role == Role.SYSADMIN
    assert not AccessGrantRequest.objects.filter(user=world.sysadmin).exists()
    assert _case_page(client, world.case) == 403


def test_sysadmin_adding_themselves_to_a_team_is_refused(world, login):
    client = login(world.sysadmin)
    response = client.post(
        reverse("accounts:user_edit", args=[world.sysadmin.pk]),
        _edit_data(world.sysadmin, role=Role.PRACTITIONER, teams=[world.team_a.pk]),
    )
    assert response.status_code == 200
    world.sysadmin.refresh_from_db()
    assert world.sysadmin.role == Role.SYSADMIN
    assert not world.sysadmin.teams.exists()


def test_nobody_deactivates_or_edits_their_own_access_even_a_lead(world, login):
    client = login(world.lead)
    data = _edit_data(world.lead, teams=[world.team_a.pk])
    del data["is_active"]
    response = client.post(reverse("accounts:user_edit", args=[world.lead.pk]), data)
    assert response.status_code == 200
    world.lead.refresh_from_db()
    assert world.lead.is_active and not world.lead.teams.exists()


def test_own_profile_fields_can_still_be_changed(world, login):
    client = login(world.sysadmin)
    url = reverse("accounts:user_edit", args=[world.sysadmin.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="is_active"' not in page
    response = client.post(url, {"username": world.sysadmin.username, "first_name": "Sidney", "last_name": "X"})
    assert response.status_code == 302
    world.sysadmin.refresh_from_db()
    assert world.sysadmin.first_name == "Sidney" and world.sysadmin.role == Role.SYSADMIN


def test_sysadmin_giving_another_user_the_lead_role_waits_for_a_lead(world, login):
    client = login(world.sysadmin)
    target = world.sab_member
    response = client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, role=Role.LEAD))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.SAB_MEMBER  # nothing opened yet
    request = AccessGrantRequest.objects.get(user=target, outcome=GrantOutcome.PENDING)
    assert request.role == Role.LEAD and request.requested_by == world.sysadmin
    client.force_login(target)
    assert _case_page(client, world.case) == 403

    # Another lead approves: now it takes effect.
    client.force_login(world.lead)
    assert client.post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "approve"}).status_code == 302
    target.refresh_from_db()
    request.refresh_from_db()
    assert target.role == Role.LEAD
    assert request.outcome == GrantOutcome.APPROVED and request.decided_by == world.lead
    client.force_login(target)
    assert _case_page(client, world.case) == 200


def test_sysadmin_creating_a_practitioner_gives_no_access_until_approved(world, login):
    client = login(world.sysadmin)
    data = {"username": "newstarter", "first_name": "Nova", "last_name": "Synthetic", "role": Role.PRACTITIONER,
            "is_active": "on", "teams": [world.team_a.pk], "email": "newbie@example.org"}  # fmt: skip
    assert client.post(reverse("accounts:user_create"), data).status_code == 302
    user = User.objects.get(username="newstarter")
    assert user.role == Role.NONE and not user.teams.exists()
    request = AccessGrantRequest.objects.get(user=user)
    assert request.role == Role.PRACTITIONER
    assert list(request.teams.all()) == [world.team_a]
    client.force_login(user)
    assert _case_page(client, world.case) == 403

    client.force_login(world.lead)
    client.post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "approve"})
    user.refresh_from_db()
    assert user.role == Role.PRACTITIONER and list(user.teams.all()) == [world.team_a]


def test_sysadmin_adding_a_team_is_pending_but_removing_one_is_immediate(world, login):
    client = login(world.sysadmin)
    target = world.practitioner
    client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, teams=[world.team_b.pk]))
    assert list(target.teams.all()) == []  # team A removed at once, team B waits
    request = AccessGrantRequest.objects.get(user=target)
    assert list(request.teams.all()) == [world.team_b]


def test_sysadmin_may_give_roles_that_open_no_case_data_directly(world, login):
    client = login(world.sysadmin)
    target = world.practitioner
    client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, role=Role.SAB_MEMBER))
    target.refresh_from_db()
    assert target.role == Role.SAB_MEMBER
    assert not AccessGrantRequest.objects.exists()


def test_sysadmin_reactivating_a_case_worker_waits_for_a_lead(world, login):
    target = world.practitioner
    target.is_active = False
    target.save()
    login(world.sysadmin).post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target))
    target.refresh_from_db()
    assert target.is_active is False
    assert AccessGrantRequest.objects.get(user=target).reactivate is True


def test_a_lead_grants_directly_to_someone_else(world, login):
    client = login(world.lead)
    target = world.sab_member
    client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_data(target, role=Role.MANAGER,
                                                                             teams=[world.team_a.pk]))  # fmt: skip
    target.refresh_from_db()
    assert target.role == Role.MANAGER and list(target.teams.all()) == [world.team_a]
    assert not AccessGrantRequest.objects.exists()


def test_a_lead_cannot_approve_their_own_request(world, login):
    other_lead = UserFactory(username="lena", role=Role.LEAD)
    request = AccessGrantRequest.objects.create(user=world.sab_member, role=Role.LEAD, requested_by=other_lead)
    response = login(other_lead).post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 403
    request.refresh_from_db()
    world.sab_member.refresh_from_db()
    assert request.outcome == GrantOutcome.PENDING and world.sab_member.role == Role.SAB_MEMBER


def test_a_lead_cannot_approve_a_grant_to_themselves(world, login):
    request = AccessGrantRequest.objects.create(user=world.lead, requested_by=world.sysadmin)
    request.teams.add(world.team_a)
    response = login(world.lead).post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert not world.lead.teams.exists()


def test_a_declined_request_changes_nothing_and_is_audited(world, login):
    request = AccessGrantRequest.objects.create(user=world.sab_member, role=Role.LEAD, requested_by=world.sysadmin)
    client = login(world.lead)
    client.post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "decline"})
    request.refresh_from_db()
    world.sab_member.refresh_from_db()
    assert request.outcome == GrantOutcome.DECLINED and world.sab_member.role == Role.SAB_MEMBER
    assert AuditEvent.objects.filter(object_type="accounts.accessgrantrequest", detail__contains="declined").exists()
    # A decided request cannot be decided again.
    again = client.post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "approve"})
    assert again.status_code == 302
    world.sab_member.refresh_from_db()
    assert world.sab_member.role == Role.SAB_MEMBER


def test_pending_grants_are_shown_to_leads_with_who_asked_and_when(world, login):
    AccessGrantRequest.objects.create(user=world.sab_member, role=Role.LEAD, requested_by=world.sysadmin)
    page = login(world.lead).get(reverse("accounts:grant_list")).content.decode()
    assert world.sab_member.username in page
    assert "Safeguarding lead" in page
    assert world.sysadmin.display_name in page


def test_the_service_refuses_a_self_grant_even_without_the_form(world):
    from django.core.exceptions import PermissionDenied

    from accounts import services

    request = AccessGrantRequest.objects.create(user=world.lead, requested_by=world.sysadmin, role=Role.LEAD)
    with pytest.raises(PermissionDenied):
        services.grant_decide(grant=request, actor=world.lead, approve=True)


def test_the_service_refuses_a_change_to_ones_own_access_even_from_a_form_without_the_guard(world):
    from django.core.exceptions import PermissionDenied

    from accounts import services
    from accounts.forms import UserForm

    form = UserForm(_edit_data(world.sysadmin, role=Role.LEAD), instance=world.sysadmin)  # no actor: no guard
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.user_save(form=form, actor=world.sysadmin)
    world.sysadmin.refresh_from_db()
    assert world.sysadmin.role == Role.SYSADMIN


def test_an_account_waiting_for_approval_is_told_so(world, login):
    user = UserFactory(username="waiting", role=Role.NONE)
    page = login(user).get(reverse("accounts:home"))
    assert page.status_code == 403
    assert "safeguarding lead" in page.content.decode()


def test_the_user_list_shows_which_accounts_wait_for_a_lead(world, login):
    AccessGrantRequest.objects.create(user=world.sab_member, role=Role.LEAD, requested_by=world.sysadmin)
    page = login(world.sysadmin).get(reverse("accounts:user_list")).content.decode()
    assert "Waiting for a lead" in page and "1 grant<" in page
