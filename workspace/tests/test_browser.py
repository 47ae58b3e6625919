"""The managers' workspace in a real browser, with axe on every page of the journey."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import DecisionStatus
from cases.tests.factories import DecisionFactory, EnquiryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_allocates_from_the_dashboard_and_signs_off_from_the_queue(
    world, signed_in_page, live_server, assert_accessible
):
    waiting = EnquiryFactory(case__team=world.team_a)
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.colleague, outcome="s42")

    page = signed_in_page(world.manager)  # managers land on the dashboard
    page.get_by_role("heading", name="Team dashboard", level=1).wait_for()
    assert_accessible(page)
    expect(page.locator("#figure-unallocated")).to_have_text("1 enquiries not allocated")
    expect(page.locator("#figure-decisions")).to_have_text("1 decisions awaiting sign-off")

    page.locator("#figure-unallocated").click()
    page.get_by_role("heading", name="Open cases", level=1).wait_for()
    assert_accessible(page)
    expect(page.get_by_role("link", name=waiting.case.ref)).to_be_visible()
    page.get_by_label(f"Select {waiting.case.ref}").check()
    page.get_by_label("Allocate to").select_option(
        label=f"{world.colleague.display_name} (Practitioner): 0 open enquiries"
    )
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text(f"1 case allocated to {world.colleague.display_name}.")).to_be_visible()
    expect(page.get_by_text("No cases to show.")).to_be_visible()

    page.get_by_role("link", name="Team dashboard").click()
    expect(page.locator("#figure-unallocated")).to_have_text("0 enquiries not allocated")
    page.locator("#figure-decisions").click()
    page.get_by_role("heading", name="Sign-off queue", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=f"Review the decision on {decision.case.ref}").click()
    page.get_by_role("heading", name="Review the proposed decision").wait_for()
    page.get_by_label("Sign off this decision").check()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Sign-off queue", level=1).wait_for()
    expect(page.get_by_text("Decision signed off.")).to_be_visible()
    expect(page.get_by_text("No decisions are waiting.")).to_be_visible()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF

    page.get_by_role("link", name="Team dashboard").click()
    expect(page.locator("#figure-decisions")).to_have_text("0 decisions awaiting sign-off")
    # The signed-off s42 decision opened an enquiry that now waits for allocation.
    expect(page.locator("#figure-unallocated")).to_have_text("1 enquiries not allocated")
    page.get_by_role("link", name="Caseload by practitioner").click()
    page.get_by_role("heading", name="Caseload by practitioner", level=1).wait_for()
    assert_accessible(page)


def test_a_practitioner_lands_on_my_work(world, signed_in_page, assert_accessible):
    page = signed_in_page(world.practitioner)
    page.get_by_role("heading", name="My work", level=1).wait_for()
    expect(page.get_by_role("link", name=world.case.ref)).to_be_visible()
    expect(page.get_by_role("link", name="My work")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Team dashboard")).to_have_count(0)
    assert_accessible(page)


def test_a_lead_picks_a_team_and_the_choice_stays_in_the_url(world, signed_in_page, assert_accessible):
    page = signed_in_page(world.lead)
    page.get_by_role("heading", name="Team dashboard", level=1).wait_for()
    page.get_by_label("Team").select_option(label=world.team_b.name)
    page.get_by_label("No contact for at least (days)").fill("10")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"team={world.team_b.pk}&days=10"))
    expect(page.get_by_text(f"Figures for {world.team_b.name}")).to_be_visible()
    expect(page.get_by_text("Open enquiries with no contact for 10 days or more")).to_be_visible()
    assert_accessible(page)
