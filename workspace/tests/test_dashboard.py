"""The team dashboard's figures, who sees which, and where each figure leads."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory, UserFactory
from cases.models import CaseState
from cases.tests.factories import EnquiryFactory
from workspace import selectors
from workspace.tests.workspace_data import add_workload, days_ago

pytestmark = pytest.mark.django_db


def test_figures_count_each_kind_of_work_in_the_managers_teams(world):
    add_workload(world, 2)
    add_workload(world, 1, team=world.team_b, lead=world.outsider)
    figures = selectors.dashboard_figures(user=world.manager, no_contact_days=28)
    assert figures["unallocated"] == 2  # world.case is led by world.practitioner
    assert figures["decisions_awaiting_sign_off"] == 2
    assert figures["closures_awaiting_sign_off"] == 2
    # Overdue: the CaseFactory ones (due 2 days ago) and the decisions (proposed, no due date set).
    assert figures["overdue_decisions"] == 2
    assert figures["overdue_plan_actions"] == 2
    assert figures["followups_due"] == 2
    assert figures["no_contact"] == 2
    assert figures[f"stage_{CaseState.ENQUIRY_OPEN}"] == 1 + 2 * 3
    assert figures[f"stage_{CaseState.CONCERN}"] == 2
    assert figures["open_total"] == 1 + 2 * 6


def test_the_no_contact_threshold_moves_with_the_days_chosen(world):
    add_workload(world, 1)
    assert selectors.dashboard_figures(user=world.manager, no_contact_days=28)["no_contact"] == 1
    # With 1 day, the enquiry with a conversation 2 days ago counts too, and so do world.case
    # (started 2 days ago) and the unallocated one (started 3 days ago), which have none.
    assert selectors.dashboard_figures(user=world.manager, no_contact_days=1)["no_contact"] == 4
    assert selectors.dashboard_figures(user=world.manager, no_contact_days=61)["no_contact"] == 0


def test_the_setting_is_the_default_threshold(world, settings):
    add_workload(world, 1)
    settings.NO_CONTACT_ALERT_DAYS = 61
    assert selectors.dashboard_figures(user=world.manager)["no_contact"] == 0
    settings.NO_CONTACT_ALERT_DAYS = 28
    assert selectors.dashboard_figures(user=world.manager)["no_contact_days"] == 28


def test_a_manager_never_sees_another_teams_figures(world, login):
    add_workload(world, 1, team=world.team_b, lead=world.outsider)
    figures = selectors.dashboard_figures(user=world.manager)
    assert figures["decisions_awaiting_sign_off"] == 0
    assert figures["overdue_plan_actions"] == 0
    # Asking for team B in the URL is refused (not a choice) and the page shows own teams only.
    response = login(world.manager).get(reverse("workspace:dashboard"), {"team": world.team_b.pk})
    assert response.status_code == 200
    assert response.context["team"] is None
    assert response.context["form"].errors
    assert response.context["figures"]["decisions_awaiting_sign_off"] == 0
    assert b"South Team" not in response.content


def test_a_lead_sees_all_teams_or_picks_one(world, login):
    add_workload(world, 1)
    add_workload(world, 2, team=world.team_b, lead=world.outsider)
    client = login(world.lead)
    everything = client.get(reverse("workspace:dashboard")).context["figures"]
    assert everything["decisions_awaiting_sign_off"] == 3
    south = client.get(reverse("workspace:dashboard"), {"team": world.team_b.pk}).context["figures"]
    assert south["decisions_awaiting_sign_off"] == 2
    assert south["overdue_plan_actions"] == 2


def test_a_manager_of_two_teams_sees_both_and_can_pick_one(world):
    third = TeamFactory(name="East Team")
    boss = UserFactory(username="two_teams", role="manager", teams=[world.team_a, third])
    add_workload(world, 1)
    add_workload(world, 1, team=third, lead=world.practitioner)
    assert selectors.dashboard_figures(user=boss)["closures_awaiting_sign_off"] == 2
    assert selectors.dashboard_figures(user=boss, team=third)["closures_awaiting_sign_off"] == 1


def test_each_figure_links_to_the_list_behind_it_and_the_list_agrees(world, login):
    add_workload(world, 2)
    client = login(world.manager)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    links = {
        "unallocated": "?attention=unallocated",
        "overdue_decision": "?attention=overdue_decision",
        "no_contact": "?attention=no_contact&amp;days=28",
    }
    for href in links.values():
        assert reverse("workspace:cases") + href in page
    assert reverse("workspace:queue") + "?kind=decisions" in page
    assert reverse("workspace:actions") in page and reverse("workspace:followups") in page
    figures = selectors.dashboard_figures(user=world.manager)
    for attention, key in (("unallocated", "unallocated"), ("overdue_decision", "overdue_decisions")):
        listed = client.get(reverse("workspace:cases"), {"attention": attention}).context["page"]
        assert len(listed) == figures[key]
    listed = client.get(reverse("workspace:cases"), {"attention": "no_contact", "days": 28}).context["page"]
    assert len(listed) == figures["no_contact"]
    assert len(client.get(reverse("workspace:actions")).context["page"]) == figures["overdue_plan_actions"]
    assert len(client.get(reverse("workspace:followups")).context["page"]) == figures["followups_due"]
    queue = client.get(reverse("workspace:queue"), {"kind": "decisions"}).context
    assert len(queue["decisions"]) == figures["decisions_awaiting_sign_off"] and queue["closures"] is None


def test_the_no_contact_days_in_the_url_are_checked(world, login):
    response = login(world.manager).get(reverse("workspace:dashboard"), {"days": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert response.context["figures"]["no_contact_days"] == 28


def test_managers_land_on_the_dashboard_and_practitioners_on_my_work(world, login):
    assert login(world.manager).get(reverse("accounts:home"))["Location"] == reverse("workspace:dashboard")
    assert login(world.lead).get(reverse("accounts:home"))["Location"] == reverse("workspace:dashboard")
    assert login(world.practitioner).get(reverse("accounts:home"))["Location"] == reverse("workspace:my_work")


def test_navigation_shows_the_workspace_to_the_right_roles(world, login):
    manager_page = login(world.manager).get(reverse("workspace:dashboard")).content.decode()
    assert "Team dashboard" in manager_page and "Sign-off queue" in manager_page and "My work" in manager_page
    assert 'aria-current="page">Team dashboard' in manager_page
    practitioner_page = login(world.practitioner).get(reverse("workspace:my_work")).content.decode()
    assert "Team dashboard" not in practitioner_page and 'aria-current="page">My work' in practitioner_page


def test_the_old_my_follow_ups_address_leads_to_my_work(world, login):
    response = login(world.practitioner).get(reverse("outcomes:my_followups"))
    assert response["Location"] == reverse("workspace:my_work")


@pytest.mark.parametrize(
    "name", ["dashboard", "cases", "export", "queue", "caseload", "actions", "followups", "my_work"]
)
def test_sab_members_and_administrators_reach_none_of_it(world, login, name):
    for actor in ("sab_member", "sysadmin"):
        assert login(world.user(actor)).get(reverse(f"workspace:{name}")).status_code == 403


def test_unallocated_counts_only_open_enquiries_without_a_lead(world):
    EnquiryFactory(case__team=world.team_a)
    EnquiryFactory(case__team=world.team_a, case__state=CaseState.CLOSED, concluded_on=days_ago(1))
    EnquiryFactory(case__team=world.team_a, case__state=CaseState.CLOSURE_PENDING)
    assert selectors.dashboard_figures(user=world.manager)["unallocated"] == 1


def test_restricted_cases_count_only_for_their_named_users(world, login):
    from cases.models import CaseAccessGrant

    hidden = EnquiryFactory(case__team=world.team_a, case__restricted=True)
    assert selectors.dashboard_figures(user=world.manager)["unallocated"] == 0
    assert selectors.dashboard_figures(user=world.lead)["unallocated"] == 0
    listed = login(world.manager).get(reverse("workspace:cases"), {"attention": "unallocated"}).context["page"]
    assert hidden.case_id not in {c.pk for c in listed}
    CaseAccessGrant.objects.create(case=hidden.case, user=world.manager)
    assert selectors.dashboard_figures(user=world.manager)["unallocated"] == 1
