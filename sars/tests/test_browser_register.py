"""In chromium, with axe-core on every page: a safeguarding lead records a referral for a
Safeguarding Adults Review, adds the person it is about (linked to their case), adds a
recommendation and completes it, and concludes the review; a SAB member cannot open the register."""

import re

import pytest
from django.urls import reverse

from sars.models import Harm, RecommendationStatus, SafeguardingAdultsReview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_creates_a_review_adds_a_person_and_completes_a_recommendation(world, journey):
    j = journey(world.lead)
    j.open(reverse("accounts:home"))
    j.follow(re.compile("^SAB reports$"), within="nav[aria-label='Main']")
    j.follow("Safeguarding Adults Reviews", exact=True)
    assert "No review has been recorded yet." in j.page.inner_text("main")
    j.follow("Record a referral for a review")
    j.press("Save the review")  # nothing filled in: the error summary, nothing saved
    main = j.page.inner_text("main")
    assert "There is a problem" in main and "Choose the criteria the referral was considered under." in main
    page = j.page
    page.get_by_label("Date of referral").fill("2025-01-10")
    page.get_by_label(re.compile(r"Section 44\(1\)")).check()
    page.get_by_label("Proceed with a review").check()
    page.get_by_label("Date of decision").fill("2025-02-03")
    page.get_by_label("Reviewer").fill("Northshire Review Partnership")
    j.press("Save the review")
    review = SafeguardingAdultsReview.objects.get()
    assert f"{review.label} is in the register." in page.inner_text("main")

    j.follow("People", exact=True)
    page.get_by_label("Name").fill("Invented Adult Onefold")
    page.get_by_label("Died", exact=True).check()
    page.get_by_label("Case reference (optional)").fill(world.case.ref)
    j.press("Add the person")
    people = page.inner_text("main")
    assert "The person is added to the review." in people and "Invented Adult Onefold" in people
    assert world.case.ref in people and review.people.get().harm == Harm.DIED

    j.follow("Findings and recommendations", exact=True)
    page.get_by_label("Finding").fill("Agencies held pieces of the picture and nobody joined them up.")
    page.get_by_label("Recommendation").fill("Set up a multi-agency risk panel for adults who decline support.")
    page.get_by_label("Owner").fill("Board business manager")
    page.get_by_label("Not started", exact=True).check()
    j.press("Add the recommendation")
    assert "The recommendation is added." in page.inner_text("main")
    j.follow("Update recommendation 1")
    page.get_by_label("Completed", exact=True).check()
    j.press("Save the recommendation")  # completed without a date: refused, what was typed kept
    assert "Enter the date the recommendation was completed." in page.inner_text("main")
    page.get_by_label("Date completed").fill("2025-06-30")
    j.press("Save the recommendation")
    assert "Completed, 30 Jun 2025" in page.inner_text("main")
    assert review.recommendations.get().status == RecommendationStatus.COMPLETED

    j.follow("Summary", exact=True)
    j.follow(f"Change the review {review.label}")
    page.get_by_label("Report published").fill("2025-07-01")
    page.get_by_label("Date concluded").fill("2025-07-15")
    j.press("Save the review")
    summary = page.inner_text("main")
    assert "15 July 2025" in summary and "Concluded" in summary and "Invented Adult Onefold" in summary
    j.follow("Back to the Safeguarding Adults Reviews")

    board = journey(world.sab_member)
    board.refused(reverse("sars:list"), 403)
    board.refused(reverse("sars:detail", args=[review.pk]), 403)


def test_the_register_pages_fit_a_phone_with_tables_as_stacked_rows(world, signed_in_page, live_server):
    from tests.test_browser_small_screens import STACKED, _assert_fits

    from .factories import RecommendationFactory, SarPersonFactory

    long = "Agencies-held-pieces-of-the-picture-and-nobody-joined-them-up " * 3
    person = SarPersonFactory(review__created_by=world.lead, case=world.case, name="Invented Longname-Person")
    RecommendationFactory(review=person.review, finding=long, text=long, owner="Integrated Care Board safeguarding")
    page = signed_in_page(world.lead)
    page.set_viewport_size({"width": 390, "height": 900})
    problems = {}
    for name, pk in (
        ("sars:list", None), ("sars:detail", person.review.pk), ("sars:people", person.review.pk),
        ("sars:recommendations", person.review.pk), ("sars:edit", person.review.pk),
    ):  # fmt: skip
        page.goto(live_server.url + reverse(name, args=[pk] if pk else []))
        assert page.locator("main h1").count() == 1, name
        _assert_fits(page, 390)
        if found := page.evaluate(STACKED):
            problems[name] = found
    assert problems == {}
