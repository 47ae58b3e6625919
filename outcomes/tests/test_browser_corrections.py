"""Correcting saved records in the browser, with axe-core on every page it lands on."""

import pytest
from playwright.sync_api import expect

from outcomes.models import CapacityAssessment, Conversation

from .factories import CapacityAssessmentFactory, ConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_author_corrects_a_conversation_and_a_manager_a_capacity_assessment(world, journey):
    conversation = ConversationFactory(
        case=world.case, recorded_by=world.practitioner, what_matters="I want to stay in my flat."
    )
    assessment = CapacityAssessmentFactory(case=world.case, recorded_by=world.practitioner, assessor="A. Assessor")
    held = f"{conversation.held_on:%-d %b %Y}"

    j = journey(world.practitioner)
    j.open(f"/outcomes/case/{world.case.pk}/")
    j.follow(f"Change conversation ({held})")
    expect(j.page.get_by_role("heading", name="Correct a conversation")).to_be_visible()
    j.page.get_by_label("What matters to the person, in their own words").fill("I want to stay in my flat with my cat.")
    j.press("Save the correction")  # no reason given: the form says so and keeps the words
    expect(j.page.locator("#error-summary")).to_contain_text("Say why the record is being corrected.")
    expect(j.page.get_by_label("What matters to the person, in their own words")).to_have_value(
        "I want to stay in my flat with my cat."
    )
    j.page.get_by_label("Why it is being corrected").fill("The cat was left out.")
    j.press("Save the correction")
    expect(j.page.get_by_text("Conversation corrected.")).to_be_visible()
    j.page.get_by_text("History of this conversation").click()
    history = j.page.locator("details", has_text="History of this conversation")
    expect(history).to_contain_text("I want to stay in my flat.")
    expect(history).to_contain_text("Why it was corrected: The cat was left out.")
    j.check()  # the opened history too
    assert Conversation.objects.get(pk=conversation.pk).version == 2

    j = journey(world.manager)
    j.open(f"/outcomes/case/{world.case.pk}/")
    j.follow(f"Change capacity assessment ({assessment.assessed_on:%-d %b %Y})")
    j.page.get_by_label("Assessor (name and role)").fill("B. Assessor, social worker")
    j.page.get_by_label("Why it is being corrected").fill("The assessor's name was wrong.")
    j.press("Save the correction")
    expect(j.page.get_by_text("Capacity assessment corrected.")).to_be_visible()
    assert CapacityAssessment.objects.get(pk=assessment.pk).assessor == "B. Assessor, social worker"
