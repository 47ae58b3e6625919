"""Who may lead an enquiry is one rule (`cases.access.enquiry_leads`): an active practitioner,
team manager or safeguarding lead who is a member of the case's team. Allocating one enquiry,
the bulk reallocation and both allocation lists apply it alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cases import services as case_services
from cases.access import may_lead_enquiry
from cases.selectors import allocatable_practitioners
from cases.tests.factories import EnquiryFactory
from workspace import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_lead(world):
    """A safeguarding lead who is also a member of the North team."""
    return UserFactory(username="lola", role=Role.LEAD, teams=[world.team_a])


def test_a_lead_in_the_cases_team_may_lead_its_enquiry_by_every_route(world, login, team_lead):
    assert may_lead_enquiry(team_lead, world.case)
    assert team_lead in allocatable_practitioners(case=world.case)
    assert team_lead in selectors.team_practitioners(user=world.manager)
    body = login(world.manager).get(reverse("cases:allocate", args=[world.case.pk])).content.decode()
    assert f'value="{team_lead.pk}"' in body
    listed = login(world.manager).get(reverse("workspace:cases")).content.decode()
    assert f'value="{team_lead.pk}"' in listed.split('name="to"', 1)[1].split("</select>", 1)[0]

    fresh = EnquiryFactory(case__team=world.team_a)
    services.reallocate(actor=world.manager, case_ids=[fresh.case_id], to_user=team_lead, reason="")
    fresh.refresh_from_db()
    assert fresh.lead_practitioner == team_lead
    case_services.allocate_enquiry(actor=world.manager, enquiry=world.enquiry, lead_practitioner=team_lead)
    world.enquiry.refresh_from_db()
    assert world.enquiry.lead_practitioner == team_lead


@pytest.mark.parametrize("who", ["sab_member", "sysadmin", "outsider", "lead"])
def test_no_route_lets_anyone_else_lead_the_enquiry(world, who):
    """Not a case worker, or not a member of the case's team (the world's lead has no team)."""
    user = world.user(who)
    assert not may_lead_enquiry(user, world.case)
    assert user not in allocatable_practitioners(case=world.case)
    fresh = EnquiryFactory(case__team=world.team_a)
    with pytest.raises(ValidationError):
        services.reallocate(actor=world.lead, case_ids=[fresh.case_id], to_user=user, reason="")
    with pytest.raises(ValidationError):
        case_services.allocate_enquiry(actor=world.lead, enquiry=fresh, lead_practitioner=user)


def test_an_inactive_member_of_the_team_may_not_lead_it(world):
    world.colleague.is_active = False
    world.colleague.save(update_fields=["is_active"])
    assert not may_lead_enquiry(world.colleague, world.case)
    assert world.colleague not in allocatable_practitioners(case=world.case)
    assert world.colleague not in selectors.team_practitioners(user=world.manager)
    with pytest.raises(ValidationError):
        services.reallocate(actor=world.manager, case_ids=[world.case.pk], to_user=world.colleague, reason="leave")
