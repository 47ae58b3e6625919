"""Practice quality in the browser: the figures page and a whole sample audit, by keyboard, with axe."""

import pytest

from accounts.models import AuditAction, AuditEvent
from outcomes.models import PracticeAudit, PracticeAuditRating
from quality import selectors

from .data import make_closed_enquiries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _show(page, selector):
    try:
        page.wait_for_selector(selector, timeout=5000)
    except Exception:
        print(page.url, page.locator("main").inner_text()[:3000])
        raise


def test_a_manager_reads_the_figures_and_audits_a_sample_by_keyboard(
    world, signed_in_page, live_server, assert_accessible
):
    start, end = selectors.default_period()
    make_closed_enquiries(world.team_a, 12, start=start, end=end, seed=11, imported_share=0)
    page = signed_in_page(world.manager)

    # The figures page, from the navigation.
    page.get_by_role("link", name="Practice quality").click()
    _show(page, "h2#measures-heading")
    assert page.locator("svg.chart[role=img]").count() == 2
    assert page.get_by_role("img", name="Concerns received by month").count() == 1
    assert page.get_by_role("img", name="Outcome achievement by month of closure").count() == 1
    assert_accessible(page)
    # The data table behind a chart opens from the keyboard.
    summary = page.get_by_text("Concerns received by month as a table")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("table", name="Concerns received in each month").is_visible()
    assert_accessible(page)

    # Choose the period by keyboard and submit with Enter: the filters stay in the URL.
    page.fill("#id_date_from", start.isoformat())
    page.fill("#id_date_to", end.isoformat())
    page.focus("#id_date_to")
    page.keyboard.press("Enter")
    _show(page, "#figures-scope")
    assert f"date_from={start.isoformat()}" in page.url
    assert "12" in page.locator("#figures-scope").inner_text()

    # Draw a sample: a bad size first, then a good one.
    page.get_by_role("link", name="Sample case audits").click()
    _show(page, "table.audit-list")
    assert_accessible(page)
    page.get_by_role("link", name="Draw a new sample").click()
    _show(page, "#id_sample_size")
    page.select_option("#id_team", str(world.team_a.pk))
    page.fill("#id_sample_size", "60")
    page.get_by_role("button", name="Draw the sample").click()
    _show(page, "#error-summary")
    assert "Audit at most 50 cases at a time." in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_sample_size", "2")
    page.focus("#id_sample_size")
    page.keyboard.press("Enter")
    _show(page, "table.audit-cases")
    assert_accessible(page)
    audit = PracticeAudit.objects.get()
    drawn = list(audit.audit_cases.select_related("case").order_by("order"))
    assert len(drawn) == 2

    # Open the first case record (its reading is audited), then come back and rate it.
    page.get_by_role("link", name=drawn[0].case.ref, exact=True).click()
    _show(page, "h1")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, case_id=drawn[0].case_id, actor=world.manager).exists()
    page.go_back()
    _show(page, "table.audit-cases")
    rate = page.get_by_role("link", name=f"Rate case {drawn[0].case.ref}")
    rate.focus()
    page.keyboard.press("Enter")
    _show(page, "fieldset.principle-review")
    assert_accessible(page)

    # Every principle rated from the keyboard: focus the first radio ("Met") and press Space.
    for principle in ("empowerment", "prevention", "proportionality", "protection", "partnership", "accountability"):
        page.focus(f"#id_rating_{principle}_0")
        page.keyboard.press("Space")
    # Protection not met without a comment: a clear message, nothing typed is lost.
    page.check("#id_rating_protection_2")
    page.fill("#id_comment_partnership", "Synthetic: the GP was told the same day.")
    page.get_by_role("button", name="Save the ratings").click()
    _show(page, "#error-summary")
    assert "Say what was missing for Protection." in page.locator("#error-summary").inner_text()
    assert page.input_value("#id_comment_partnership") == "Synthetic: the GP was told the same day."
    assert page.is_checked("#id_rating_empowerment_0")
    assert_accessible(page)
    page.get_by_role("link", name="Comment on Protection: Say what was missing for Protection.").click()
    page.keyboard.type("Synthetic: no help to report the abuse was offered.")
    page.get_by_role("button", name="Save the ratings").focus()
    page.keyboard.press("Enter")
    _show(page, "table.audit-cases")
    assert "1 of 2 cases rated" in page.locator("main").inner_text()
    assert_accessible(page)
    ratings = dict(PracticeAuditRating.objects.filter(audit_case=drawn[0]).values_list("principle", "rating"))
    assert ratings == {
        "empowerment": "met",
        "prevention": "met",
        "proportionality": "met",
        "protection": "not_met",
        "partnership": "met",
        "accountability": "met",
    }
    summary_row = page.get_by_role("row", name="Protection")
    assert "1 (100.0%)" in summary_row.inner_text()
