"""In chromium, with axe-core on every page: a lead names someone outside a team to make its
independent follow-ups, and that reviewer finds the follow-up on My work, reads the call script
and records the person's answers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import FeedbackResponse, Route
from feedback.questions import QUESTIONS

from .factories import closed_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_names_a_reviewer_who_records_an_independent_follow_up(world, journey):
    case = closed_case(world.team_a, days_ago=10)
    j = journey(world.lead)
    j.open(reverse("feedback:reviewers"))
    j.page.get_by_label("Team").select_option(label="North Team")
    j.page.get_by_label("Who makes the follow-ups").select_option(str(world.outsider.pk))
    j.press("Name them")
    assert "Named for the team's independent follow-ups." in j.page.inner_text("main")

    j = journey(world.outsider)
    j.open(reverse("workspace:my_work"))
    j.follow("1 follow-ups")
    j.follow(f"Make the follow-up for case {case.ref}")
    assert j.page.get_by_role("heading", name="The call script").is_visible()
    j.page.get_by_label("The adult", exact=True).check()
    j.page.fill("#id_asked_on", timezone.localdate().isoformat())
    for question in QUESTIONS:
        answer = "yes" if "yes" in question.answers else "rather_not_say"
        j.page.check(f"input[name='{question.code}'][value='{answer}']")
    j.page.fill("#id_anything_else", "Someone finally listened.")
    j.press("Save the feedback")
    assert f"The follow-up for case {case.ref} saved." in j.page.inner_text("main")
    follow_up = FeedbackResponse.objects.get(case=case)
    assert follow_up.route == Route.INDEPENDENT and follow_up.asked_by == world.outsider
