"""In chromium, with axe-core on every page: a safeguarding lead reads a person's words given
with consent to share them, and approves them for the board's report."""

import datetime

import pytest
from django.urls import reverse

from feedback.models import FeedbackResponse, QuoteStatus, Route

from .factories import response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_approves_a_quote(world, journey):
    words = response(
        route=Route.ANONYMOUS,
        team=world.team_a,
        day=datetime.date(2025, 5, 10),
        anything_else="They listened to me every time.",
        share_consent=True,
        quote_status=QuoteStatus.PENDING,
    )
    j = journey(world.lead)
    j.open(reverse("feedback:quotes"))
    assert "They listened to me every time." in j.page.inner_text("main")
    j.press("Save the decision")  # nothing chosen: the error summary, and the quote still there
    assert "Choose whether these words may be published." in j.page.inner_text("main")
    j.page.get_by_label("Approve: publish these words").check()
    j.press("Save the decision")
    assert "Approved for the board's report." in j.page.inner_text("main")
    assert FeedbackResponse.objects.get(pk=words.pk).quote_status == QuoteStatus.APPROVED
