"""The case journey in a real browser: concern, decision, sign-off, allocation, chronology."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_concern_to_allocated_enquiry_and_the_chronology(world, signed_in_page, live_server, assert_accessible):
    page = signed_in_page(world.practitioner)
    assert_accessible(page)

    page.get_by_role("link", name="Record a concern").click()
    page.get_by_role("heading", name="Record a concern").wait_for()
    assert_accessible(page)
    page.get_by_label("Legal name").fill("Winifred Synthetic Example")
    page.get_by_label("Preferred name").fill("Winnie")
    page.get_by_label("Date of birth").fill("1941-03-09")
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("Communication needs").fill("Easy read letters.")
    page.get_by_label("Date and time received").fill("2026-11-20T10:30")
    page.get_by_label("Who raised the concern").fill("Sam Referrer")
    page.get_by_label("Their agency or organisation").fill("Example Home Care")
    page.get_by_label("What happened").fill("Synthetic: bruising noticed on both arms.")
    risk = page.get_by_role("group", name="Risk 1", exact=True)
    risk.get_by_label("Physical").check()
    risk.get_by_label("Where it happened").select_option("own_home")
    risk.get_by_label("Who may be causing the harm").select_option("service_provider")
    page.get_by_role("group", name="Does the adult know the concern was raised?").get_by_label("Yes").check()
    page.get_by_label("What does the adult want to happen?").fill("I want the carers to be gentle.")
    page.get_by_role("button", name="Record the concern").click()

    page.get_by_role("heading", name="Winnie", level=1).wait_for()
    case = Case.objects.get(person__preferred_name="Winnie")
    expect(page.get_by_text(f"Concern recorded as case {case.ref}.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Propose a decision").click()
    page.get_by_role("heading", name="Propose the s42 decision").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="Does the adult have needs for care and support?").get_by_label("Yes").check()
    page.get_by_label("Why (care and support needs)").fill("Dementia; four home-care visits a day.")
    page.get_by_role("group", name=re.compile("experiencing, or at risk of")).get_by_label("Yes").check()
    page.get_by_label("Why (abuse or neglect)").fill("Unexplained bruising.")
    page.get_by_role("group", name=re.compile("unable to protect themselves")).get_by_label("Yes").check()
    page.get_by_label("Why (able to protect themselves)").fill("Depends on the carers for all personal care.")
    page.get_by_label("Section 42 enquiry").check()
    page.get_by_role("button", name="Propose the decision").click()
    expect(page.get_by_text("Decision proposed.")).to_be_visible()
    expect(page.get_by_text("Decision awaiting sign-off").first).to_be_visible()
    assert_accessible(page)

    page = signed_in_page(world.manager)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Sign off or return the decision").click()
    page.get_by_role("heading", name="Review the proposed decision").wait_for()
    assert_accessible(page)
    page.get_by_label("Sign off this decision").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Decision signed off.")).to_be_visible()
    expect(page.get_by_text("Enquiry open").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Allocate the enquiry").click()
    page.get_by_role("heading", name=re.compile("Allocate the section 42 enquiry")).wait_for()
    assert_accessible(page)
    page.get_by_label("Lead practitioner").select_option(value=str(world.practitioner.pk))
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text(f"Enquiry allocated to {world.practitioner.display_name}.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Chronology (printable)").click()
    page.get_by_role("heading", name="Chronology", exact=True).wait_for()
    assert_accessible(page)
    timeline = page.locator("ol.chronology")
    expect(timeline).to_contain_text("Concern received from Sam Referrer, Example Home Care")
    expect(timeline).to_contain_text("Decision proposed by")
    expect(timeline).to_contain_text(f"Decision signed off by {world.manager.display_name}")
    expect(timeline).to_contain_text("Section 42 enquiry started")
    expect(timeline).to_contain_text(f"Enquiry allocated to {world.practitioner.display_name}")


def test_errors_and_possible_matches_are_accessible_and_keep_what_was_typed(
    world, signed_in_page, live_server, assert_accessible
):
    import datetime

    from cases.tests.factories import CaseFactory, PersonFactory

    known = CaseFactory(
        team=world.team_a,
        person=PersonFactory(
            legal_name="Winifred Example", preferred_name="Win", date_of_birth=datetime.date(1941, 3, 9)
        ),
    ).person
    page = signed_in_page(world.practitioner)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("Legal name").fill("Winifred Example")
    page.get_by_label("Date of birth").fill("1941-03-09")
    page.get_by_label("NHS number").fill("943 476 5918")
    page.get_by_label("What does the adult want to happen?").fill("To be left in peace.")
    page.get_by_role("button", name="Record the concern").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    expect(page.get_by_role("link", name=re.compile("NHS number: Enter a valid 10-digit NHS number"))).to_be_visible()
    expect(page.get_by_label("What does the adult want to happen?")).to_have_value("To be left in peace.")

    page.get_by_label("NHS number").fill("")
    page.get_by_label("Date and time received").fill("2026-11-20T10:30")
    page.get_by_label("Who raised the concern").fill("Sam Referrer")
    page.get_by_label("What happened").fill("Synthetic.")
    risk = page.get_by_role("group", name="Risk 1", exact=True)
    risk.get_by_label("Neglect and acts of omission").check()
    risk.get_by_label("Where it happened").select_option("own_home")
    risk.get_by_label("Who may be causing the harm").select_option("unknown")
    page.get_by_role("button", name="Record the concern").click()
    page.get_by_role("heading", name="We may already know this person").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile("Win \\(Winifred Example\\)")).check()
    page.get_by_role("button", name="Record the concern").click()
    page.get_by_role("heading", name="Win", level=1).wait_for()
    assert known.cases.count() == 2
