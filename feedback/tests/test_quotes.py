"""People's words reach the board only where they ticked consent and a lead approved each quote."""

import datetime
import random

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from feedback.models import QuoteStatus, Route
from reporting import disclosure
from reporting.aggregation import Period
from reporting.rendering import feedback_context, report_quotes

from .factories import response
from .test_sab_tables import _tables

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 5, 10)
QUARTER = Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))


def _words(world, words, *, consent=True, route=Route.ANONYMOUS, **fields):
    status = QuoteStatus.PENDING if consent else QuoteStatus.NONE
    if route == Route.ANONYMOUS:
        fields.setdefault("team", world.team_a)
    else:
        fields.setdefault("case", world.case)
    return response(route=route, day=DAY, anything_else=words, share_consent=consent, quote_status=status, **fields)


def test_a_lead_approves_one_quote_and_refuses_another(world, login):
    first = _words(world, "They listened to me every time.")
    second = _words(world, "Synthetic Name at the bank helped.", route=Route.AT_CLOSURE)
    _words(world, "Private words, no consent.", consent=False)
    client = login(world.lead)
    page = client.get(reverse("feedback:quotes")).content.decode()
    assert "They listened to me every time." in page and "2 waiting" in page
    assert "Private words" not in page
    missing = client.post(reverse("feedback:quotes"), {"response": first.pk})
    assert "Choose whether these words may be published." in missing.content.decode()
    assert client.post(reverse("feedback:quotes"), {"response": first.pk, "decision": "approve"}).status_code == 302
    assert client.post(reverse("feedback:quotes"), {"response": second.pk, "decision": "refuse"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.quote_status, first.quote_reviewed_by) == (QuoteStatus.APPROVED, world.lead)
    assert second.quote_status == QuoteStatus.REFUSED
    events = AuditEvent.objects.filter(object_type="feedback.feedbackresponse", action="update")
    assert {e.detail for e in events} == {"quote approved", "quote refused"}
    assert events.get(detail="quote refused").case_id == world.case.pk
    assert events.get(detail="quote approved").case_id is None  # anonymous: no case, ever
    assert "No words are waiting" in client.get(reverse("feedback:quotes")).content.decode()
    # A decided quote cannot be decided again through the page.
    assert client.post(reverse("feedback:quotes"), {"response": first.pk, "decision": "refuse"}).status_code == 404


def test_only_approved_quotes_with_consent_reach_the_report(world):
    approved = _words(world, "They listened to me every time.")
    approved.quote_status = QuoteStatus.APPROVED
    approved.save()
    _words(world, "Waiting words.")
    withdrawn = _words(world, "Approved, then consent withdrawn.")
    withdrawn.quote_status, withdrawn.share_consent = QuoteStatus.APPROVED, False
    withdrawn.save()
    published = disclosure.control(_tables(random.Random(1), (400, 200, 150), 0.3), population=5000)
    quotes = report_quotes(QUARTER, None, published)
    assert quotes == [("Anonymous", "They listened to me every time.")]
    context = feedback_context(QUARTER, published, quotes)
    assert (context["published"], context["quotes"], context["counted"]) == (True, quotes, True)
    every = context["tables"][0]
    assert every["spec"].id == "msp_feedback" and not every["withheld"]
    assert len(every["rows"]) == 11 and every["total"] == published.value("msp_feedback", "total", "yes")
    assert report_quotes(QUARTER, world.team_b, published) == []
    small = disclosure.control(_tables(random.Random(1), (3, 0, 0), 0.3), population=5000)
    assert report_quotes(QUARTER, None, small) == []
    assert feedback_context(QUARTER, small, quotes) == {
        "present": True,
        "published": False,
        "quotes": [],
        "counted": True,
        "tables": [],
        "charts": [],
    }
    month = Period(datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))
    assert feedback_context(month, published, quotes)["counted"] is False


def test_the_trend_gives_each_quarter_as_its_own_report_publishes_it(world):
    from reporting.rendering import feedback_trend, publish

    _words(world, "Words.")
    year = Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    cache = {}
    trend = feedback_trend(year, None, cache)
    assert [label for label, *_ in trend] == [
        "April to June 2025",
        "July to September 2025",
        "October to December 2025",
        "January to March 2026",
    ]
    quarter = publish(QUARTER, None, _cache=cache)
    assert trend[0][1] == quarter.value("msp_feedback", "total", "yes") == "*"  # too few adults: withheld


def test_a_years_report_carries_the_trend_by_quarter_and_a_quarters_report_none(world, monkeypatch):
    """The section itself (printed only where the period's feedback is published) is checked on
    a PDF in test_report_section.py; here, what `build_report` hands it."""
    from reporting import rendering

    seen = []
    real = rendering.render_report_html
    monkeypatch.setattr(rendering, "render_report_html", lambda context: seen.append(context) or real(context))
    _words(world, "Words.")
    year = Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    cache = {}
    expected = rendering.feedback_trend(year, None, cache)
    rendering.build_report(year)
    assert seen[-1]["feedback"]["trend"] == expected
    assert [label for label, *_ in expected] == [
        "April to June 2025", "July to September 2025", "October to December 2025", "January to March 2026",
    ]  # fmt: skip
    rendering.build_report(QUARTER)
    assert seen[-1]["feedback"]["trend"] == []  # one quarter: no trend of one row
