"""Managers and leads restrict a case to named users (issue 12, point 6)."""

import re

import pytest
from django.urls import reverse

from accounts.models import AccessGrantRequest, AuditEvent, GrantOutcome, Role
from accounts.tests.factories import UserFactory
from cases.models import CaseAccessGrant, CaseEvent, RestrictionReason

pytestmark = pytest.mark.django_db


def _restrict(client, case, *, named=(), restricted=True, reason=RestrictionReason.STAFF):
    data = {"restricted": "True" if restricted else "False", "reason": reason if restricted else "",
            "named": [user.pk for user in named]}  # fmt: skip
    return client.post(reverse("cases:restriction", args=[case.pk]), data)


def _sees(client, user, case):
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_manager_restricts_a_case_keeps_seeing_it_and_the_team_no_longer_does(world, login):
    client = login(world.manager)
    assert _restrict(client, world.case).status_code == 302
    world.case.refresh_from_db()
    assert world.case.restricted and world.case.restricted_reason == RestrictionReason.STAFF
    assert list(CaseAccessGrant.objects.filter(case=world.case).values_list("user__username", flat=True)) == ["mona"]
    assert _sees(client, world.manager, world.case)
    assert not _sees(client, world.practitioner, world.case)
    assert not _sees(client, world.lead, world.case)  # restricted means named, whatever the role
    event = AuditEvent.objects.filter(object_type="cases.case", case_id=world.case.pk, detail="restricted: staff")
    assert event.get().fields == ["restricted", "restricted_reason"]
    assert CaseEvent.objects.filter(case=world.case, kind="restriction").exists()


def test_a_manager_naming_a_colleague_waits_for_a_lead(world, login):
    client = login(world.manager)
    _restrict(client, world.case, named=[world.practitioner])
    request = AccessGrantRequest.objects.get(case=world.case, user=world.practitioner)
    assert request.requested_by == world.manager and request.outcome == GrantOutcome.PENDING
    assert not _sees(client, world.practitioner, world.case)

    client.force_login(world.lead)
    client.post(reverse("accounts:grant_decide", args=[request.pk]), {"decision": "approve"})
    assert CaseAccessGrant.objects.get(case=world.case, user=world.practitioner).granted_by == world.lead
    assert _sees(client, world.practitioner, world.case)
    assert not _sees(client, world.lead, world.case)  # approving names the user, not the lead


def test_a_lead_names_others_directly_but_never_themselves_after_the_fact(world, login):
    client = login(world.lead)
    _restrict(client, world.case, named=[world.practitioner, world.manager])
    assert set(CaseAccessGrant.objects.filter(case=world.case).values_list("user__username", flat=True)) == {
        "lee", "pat", "mona"}  # fmt: skip
    assert not AccessGrantRequest.objects.exists()


def test_nobody_names_themselves_on_a_case_already_restricted(world, login):
    other_manager = UserFactory(username="mo2", role=Role.MANAGER, teams=[world.team_a])
    client = login(world.manager)
    _restrict(client, world.case)
    # Another manager of the team cannot see the case now, so cannot open the page or name themselves.
    client.force_login(other_manager)
    assert _restrict(client, world.case, named=[other_manager]).status_code == 404
    assert not CaseAccessGrant.objects.filter(user=other_manager).exists()
    # A named manager cannot add themselves twice or remove themselves either: they are not a choice.
    client.force_login(world.manager)
    _restrict(client, world.case, named=[])
    assert CaseAccessGrant.objects.filter(case=world.case, user=world.manager).exists()


def test_a_manager_of_another_team_cannot_restrict(world, login):
    response = _restrict(login(world.manager_b), world.case)
    assert response.status_code == 404
    world.case.refresh_from_db()
    assert not world.case.restricted


def test_only_users_of_the_team_or_leads_can_be_named(world, login):
    response = _restrict(login(world.manager), world.case, named=[world.outsider])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.case.refresh_from_db()
    assert not world.case.restricted


def test_a_reason_is_required_and_nothing_typed_is_lost(world, login):
    response = _restrict(login(world.manager), world.case, reason="", named=[world.practitioner])
    html = response.content.decode()
    assert "Choose why the case is restricted." in html
    assert re.search(rf'name="named" value="{world.practitioner.pk}"\s+id="[^"]+" checked', html)


def test_removing_a_name_and_lifting_the_restriction_are_immediate_and_audited(world, login):
    client = login(world.lead)
    _restrict(client, world.case, named=[world.practitioner])
    _restrict(client, world.case, named=[])  # pat unnamed
    assert not CaseAccessGrant.objects.filter(case=world.case, user=world.practitioner).exists()
    client.force_login(world.manager)
    # mona is not named: she cannot see it, so she cannot lift it either.
    assert _restrict(client, world.case, restricted=False).status_code == 404
    client.force_login(world.lead)
    _restrict(client, world.case, restricted=False)
    world.case.refresh_from_db()
    assert not world.case.restricted and world.case.restricted_reason == ""
    assert not CaseAccessGrant.objects.filter(case=world.case).exists()
    assert _sees(client, world.practitioner, world.case)
    assert AuditEvent.objects.filter(case_id=world.case.pk, detail="restriction lifted").exists()


def test_lifting_withdraws_pending_names(world, login):
    client = login(world.manager)
    _restrict(client, world.case, named=[world.practitioner])
    _restrict(client, world.case, restricted=False)
    request = AccessGrantRequest.objects.get(case=world.case)
    assert request.outcome == GrantOutcome.WITHDRAWN


def test_named_grants_appear_in_the_access_review(world, login):
    client = login(world.manager)
    _restrict(client, world.case, named=[world.practitioner])
    client.force_login(world.lead)
    page = client.get(reverse("accounts:access_review")).content.decode()
    assert world.case.ref in page  # mona's grant and pat's pending name
    assert "Named on restricted case" in page


def test_the_service_refuses_a_practitioner(world):
    from django.core.exceptions import PermissionDenied

    from cases import services

    with pytest.raises(PermissionDenied):
        services.set_restriction(actor=world.practitioner, case=world.case, restricted=True, reason="staff")
