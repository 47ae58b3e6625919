"""A whole enquiry in the browser, from first conversation to the manager's closure sign-off."""

import datetime

import pytest
from django.utils import timezone

from feedback.questions import QUESTION_CODES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(n):
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def _save(page, assert_accessible, button="Save"):
    assert_accessible(page)
    page.get_by_role("button", name=button, exact=True).click()
    try:
        page.wait_for_selector("h2#conversations-heading", timeout=5000)
    except Exception:
        print(page.url, page.locator("main").inner_text()[:3000])
        raise


def _second_risk(case):
    from cases.models import Risk, RiskType

    risk = Risk.objects.create(case=case, location="community", source="unknown")
    RiskType.objects.create(risk=risk, abuse_type="physical")
    return risk


def test_the_closure_review_says_ceased_applies_to_the_whole_enquiry(
    world, signed_in_page, live_server, assert_accessible
):
    _second_risk(world.case)
    page = signed_in_page(world.practitioner)
    page.goto(f"{live_server.url}/outcomes/case/{world.case.pk}/closure-review/")
    assert_accessible(page)
    assert "This is about the whole enquiry, not one risk." in page.locator("main").inner_text()
    assert page.locator("fieldset.risk-outcome > legend").all_inner_texts() == ["Risk 1", "Risk 2"]
    assert page.locator("input[name='ceased']:checked").count() == 0  # no default answer
    assert page.locator("input[name^='assessment_']:checked").count() == 0
    page.check("#id_review_held_0")
    page.get_by_role("group", name="Did the enquiry cease at the individual's request?").get_by_label("Yes").check()
    assert not page.locator(".per-risk").is_visible()  # no per-risk answers are asked
    assert_accessible(page)
    page.get_by_role("button", name="Save the closure review", exact=True).click()
    page.wait_for_selector("h2#conversations-heading")
    assert_accessible(page)
    assert (
        page.locator(".risk-outcomes-table [data-sac='risk_assessment']").all_inner_texts()
        == ["Enquiry ceased at the individual's request and no action taken"] * 2
    )
    assert set(world.case.risks.values_list("assessment", "result")) == {("ceased", "")}


def test_practitioner_walks_a_whole_enquiry_and_manager_signs_it_off(
    world, signed_in_page, live_server, assert_accessible
):
    first_risk = world.case.risks.get()
    second_risk = _second_risk(world.case)
    page = signed_in_page(world.practitioner)
    page.goto(f"{live_server.url}/cases/{world.case.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Open the MSP record").click()
    page.wait_for_selector("h2#conversations-heading")
    assert_accessible(page)

    # Conversation 1: face to face, spoken to alone, outcomes expressed.
    page.get_by_role("link", name="Record a conversation").click()
    page.fill("#id_held_on", _day(6))
    page.select_option("#id_mode", "face_to_face")
    page.check("#id_spoken_to_alone_0")
    page.fill("#id_what_matters", "I want to keep seeing my grandson, but not lend him money.")
    page.check("#id_outcomes_discussion_1")
    page.fill("#id_next_contact_on", _day(1))
    _save(page, assert_accessible, "Save the conversation")

    # Conversation 2: not alone, so a reason is required (and the form says so first).
    page.get_by_role("link", name="Record a conversation").click()
    page.fill("#id_held_on", _day(3))
    page.select_option("#id_mode", "interpreter")
    page.check("#id_with_family")
    page.check("#id_spoken_to_alone_1")
    page.get_by_role("button", name="Save the conversation").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
    page.fill("#id_not_alone_reason", "Her daughter interprets; a BSL interpreter is booked for next time.")
    page.check("#id_outcomes_discussion_1")
    _save(page, assert_accessible, "Save the conversation")

    # Two desired outcomes in her own words.
    for words in ("I want my money back.", "I want my grandson to stop coming round."):
        page.get_by_role("link", name="Record a desired outcome").click()
        page.fill("#id_words", words)
        page.check("#id_expressed_by_0")
        page.fill("#id_expressed_on", _day(3))
        _save(page, assert_accessible)

    # The second one is negotiated, with the reason, explained to her.
    page.get_by_role("link", name="Record what was agreed (outcome 2)").click()
    page.fill("#id_words", "He may visit when her daughter is there; the bank stops him using her card.")
    page.check("#id_reason_0")
    page.check("#id_explained_to_adult_0")
    page.fill("#id_explained_on", _day(2))
    _save(page, assert_accessible)
    row = page.locator("table.outcomes-table tbody tr").nth(1)
    assert "I want my grandson to stop coming round." in row.inner_text()
    assert "He may visit when her daughter is there" in row.inner_text()

    page.get_by_role("link", name="Record a capacity assessment").click()
    page.fill("#id_decision", "Whether to agree to the bank sharing information.")
    page.check("#id_about_the_enquiry_0")
    page.check("#id_outcome_0")
    page.fill("#id_assessed_on", _day(3))
    page.fill("#id_assessor", "Synthetic Assessor, social worker")
    _save(page, assert_accessible)

    page.get_by_role("link", name="Add a plan action").click()
    page.fill("#id_action", "Bank to add a safeguarding marker to her account.")
    page.fill("#id_responsible", "Synthetic Bank safeguarding team")
    page.fill("#id_due_on", _day(-7))
    _save(page, assert_accessible)

    page.get_by_role("link", name="Record six-principle evidence").click()
    for principle in ("empowerment", "prevention", "proportionality", "protection", "partnership", "accountability"):
        page.fill(f"#id_{principle}", f"Synthetic evidence for {principle}.")
    _save(page, assert_accessible, "Save the evidence")

    page.get_by_role("link", name="Record the closure review").click()
    page.check("#id_review_held_0")
    outcome_ids = page.locator("input[name^='practitioner_view_']").evaluate_all(
        "els => [...new Set(els.map(e => e.name.split('_').pop()))]"
    )
    first, second = outcome_ids
    page.check(f"input[name='adult_view_{first}'][value='fully']")
    page.check(f"input[name='practitioner_view_{first}'][value='fully']")
    page.check(f"input[name='adult_view_{second}'][value='not']")
    page.check(f"input[name='practitioner_view_{second}'][value='partially']")
    # Each risk its own outcome: the first identified (action taken) and reduced, the second no risk.
    page.get_by_role("group", name="Did the enquiry cease at the individual's request?").get_by_label("No").check()
    assert page.locator(".per-risk").is_visible()
    page.check(f"input[name='assessment_{first_risk.pk}'][value='identified_action']")
    page.check(f"input[name='result_{first_risk.pk}'][value='reduced']")
    page.check(f"input[name='assessment_{second_risk.pk}'][value='no_risk_no_action']")
    page.check(f"input[name='result_{second_risk.pk}'][value='']")
    _save(page, assert_accessible, "Save the closure review")

    # The person's feedback at closure: the questionnaire that replaced the three feeling questions.
    page.get_by_role("link", name="Record the person's feedback at closure").click()
    page.check("#id_version_0")
    page.fill("#id_asked_on", _day(0))
    for code in QUESTION_CODES:
        page.locator(f"input[name='{code}']").first.check()
    page.check("input[name='q3_listened'][value='yes']")
    page.check("input[name='q5_safer'][value='partly']")
    page.check("input[name='q4_in_control'][value='yes']")
    page.fill("#id_anything_else", "You listened. I feel safer with the bank watching.")
    _save(page, assert_accessible, "Save the feedback")

    page.get_by_role("button", name="Send for closure sign-off").click()
    page.wait_for_selector("text=Sent to a manager for closure sign-off.")
    assert_accessible(page)

    page = signed_in_page(world.manager)
    page.goto(f"{live_server.url}/outcomes/case/{world.case.pk}/")
    page.get_by_role("link", name="Review and sign off the closure").click()
    assert_accessible(page)
    for principle in ("empowerment", "prevention", "proportionality", "protection", "partnership", "accountability"):
        page.check(f"input[name='rating_{principle}'][value='met']")
    page.check("input[name='decision'][value='sign_off']")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_selector("#sac-heading")
    assert_accessible(page)
    assert page.locator("[data-sac='asked_desired_outcomes'] code").inner_text() == "asked_expressed"
    assert page.locator("[data-sac='outcomes_achieved'] code").inner_text() == "partially"
    assert page.locator("[data-sac='risk_assessment'] code").all_inner_texts() == [
        "identified_action",
        "no_risk_no_action",
    ]
    assert page.locator("[data-sac='risk_result'] code").all_inner_texts() == ["reduced"]

    page.goto(f"{live_server.url}/cases/{world.case.pk}/")
    assert page.locator(".msp-panel [data-sac='asked_desired_outcomes'] code").inner_text() == "asked_expressed"
    assert page.locator(".msp-panel [data-sac='outcomes_achieved'] code").inner_text() == "partially"
    assert_accessible(page)
    page.goto(f"{live_server.url}/outcomes/my-follow-ups/")
    assert_accessible(page)
    world.enquiry.refresh_from_db()
    assert (world.enquiry.asked_desired_outcomes, world.enquiry.outcomes_achieved) == ("asked_expressed", "partially")
