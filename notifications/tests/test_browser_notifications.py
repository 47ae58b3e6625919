"""The bell and the notifications page with the keyboard alone, axe-core on every page: Tab to
the bell, open the page, mark an item read, choose the email preference with the arrow keys,
and follow an item to its record."""

import datetime

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import CaseState
from cases.tests.factories import CaseFactory, DecisionFactory
from cases.tests.test_browser_keyboard_concern import _focused, _tab_to
from notifications import services
from notifications.models import MailChoice, NotificationPreference
from outcomes.tests.factories import PlanActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_and_the_page_with_the_keyboard_only(world, signed_in_page, assert_accessible):
    PlanActionFactory(case=world.case, due_on=datetime.date(2020, 1, 6))
    decision = DecisionFactory(
        case=CaseFactory(team=world.team_a, state=CaseState.DECISION_PENDING), proposed_by=world.practitioner
    )
    case_services.return_decision(actor=world.manager, decision=decision, comments="Ask about her capacity.")
    services.sweep()

    page = signed_in_page(world.practitioner)
    bell = page.locator(".masthead-bell")
    expect(bell).to_have_text("Notifications 2 unread")
    assert_accessible(page)

    _tab_to(page, "/notifications/")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Notifications", level=1).wait_for()
    assert_accessible(page)
    expect(page.get_by_text("Ask about her capacity.")).to_be_visible()

    _tab_to(page, f"Mark read: Plan action past its date, {world.case.ref}")
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 notification marked read.")).to_be_visible()
    expect(bell).to_have_text("Notifications 1 unread")
    assert_accessible(page)

    _tab_to(page, "/notifications/preferences/")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Notification email", level=1).wait_for()
    assert_accessible(page)
    _tab_to(page, "id_mail_0")  # the group is entered on its chosen option (the daily digest)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.querySelector(\"input[name='mail']:checked\").value") == MailChoice.NONE
    _tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your email preference is saved.")).to_be_visible()
    assert NotificationPreference.objects.get(user=world.practitioner).mail == MailChoice.NONE

    _tab_to(page, f"/cases/{decision.case_id}/decision/")
    assert _focused(page) == f"/cases/{decision.case_id}/decision/"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{decision.case_id}/decision/")
    assert_accessible(page)


def test_the_bell_and_the_page_fit_a_phone(world, signed_in_page, live_server, assert_accessible):
    PlanActionFactory(case=world.case, due_on=datetime.date(2020, 1, 6))
    services.sweep()
    page = signed_in_page(world.manager)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/notifications/")
    page.get_by_role("heading", name="Notifications", level=1).wait_for()
    expect(page.locator(".masthead-bell")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_the_bell_keeps_the_masthead_on_one_line_at_1280_px(world, signed_in_page):
    page = signed_in_page(world.lead)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    masthead = page.locator(".masthead").bounding_box()
    assert masthead["height"] < 60, f"the masthead wraps: {masthead['height']} px high"
