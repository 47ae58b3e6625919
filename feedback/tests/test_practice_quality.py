"""The manager's practice-quality page shows what people told us, by route, beside the
practitioners' six-principle evidence; independent and anonymous answers only from 8."""

import datetime

import pytest
from django.urls import reverse

from feedback.models import Route
from feedback.questions import QUESTIONS

from .factories import response

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": "2025-04-01", "date_to": "2026-03-31"}
DAY = datetime.date(2025, 8, 1)


def _every(answer="yes", **overrides):
    return {q.code: answer if answer in q.answers else "rather_not_say" for q in QUESTIONS} | overrides


def test_the_page_shows_the_answers_by_route_beside_the_principles(world, login):
    response(case=world.case, route=Route.AT_CLOSURE, answers=_every(q5_safer="no"), day=DAY)
    for _ in range(3):
        response(team=world.team_a, route=Route.ANONYMOUS, answers=_every("no"), day=DAY)
    for _ in range(8):
        response(case=world.case, route=Route.INDEPENDENT, answers=_every("partly"), day=DAY)
    response(team=world.team_b, route=Route.ANONYMOUS, answers=_every("no"), day=DAY)  # another team
    page = login(world.manager).get(reverse("quality:index"), PERIOD).content.decode()
    start = page.index('id="felt-heading"')
    section = page[start : page.index('id="sample-heading"')]
    assert page.index('id="principles-heading"') < start  # beside the six-principle evidence
    assert "at closure, by the enquiry lead: 1 questionnaire;" in section.lower()
    assert "independent follow-up: 8 questionnaires" in section.lower()
    assert "anonymous: 3 questionnaires" in section.lower()  # team B's is not counted
    assert "Feel safer" in section and "No: 1" in section  # at closure
    assert "Partly: 8" in section  # independent: 8, so shown
    assert section.count("Too few to show") == len(QUESTIONS)  # anonymous: 3, so never shown
    assert "I am asked what I want as the outcomes" in section


def test_a_period_without_a_whole_quarter_counts_none(world, login):
    response(case=world.case, route=Route.AT_CLOSURE, answers=_every(), day=DAY)
    page = login(world.manager).get(reverse("quality:index"), {"date_from": "2025-08-01", "date_to": "2025-08-31"})
    assert "The period holds no whole quarter" in page.content.decode()
