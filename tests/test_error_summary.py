"""Every form page's error summary (templates/includes/form_errors.html) links each message to
an element of the page: a radio or checkbox group, which has no single labelled input, links to
its first option."""

import re

import pytest
from django.urls import reverse

from cases.models import CaseState
from outcomes.models import ClosureReview, Principle
from outcomes.tests.factories import (
    ClosureReviewFactory,
    DesiredOutcomeFactory,
    OutcomeReviewFactory,
    PrincipleCheckFactory,
)

pytestmark = pytest.mark.django_db


def _summary_hrefs(body):
    summary = re.search(r'<div[^>]*id="error-summary".*?</div>', body, re.S)
    assert summary, "no error summary on the page"
    return re.findall(r'<a href="([^"]*)">', summary.group(0))


def _assert_each_lands_on_an_input(hrefs, body):
    inputs = set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', body))
    for href in hrefs:
        assert href.startswith("#") and href[1:] in inputs, f"{href!r} is not an input on the page"


def test_an_outcomes_form_links_an_unanswered_radio_group_to_its_first_option(world, login):
    outcome = DesiredOutcomeFactory(case=world.case)
    url = reverse("outcomes:closure_review", args=[world.case.pk])
    body = login(world.practitioner).post(url, {"no_review_detail": ""}).content.decode()
    hrefs = _summary_hrefs(body)
    assert f"#id_practitioner_view_{outcome.pk}_0" in hrefs
    _assert_each_lands_on_an_input(hrefs, body)


def test_the_closure_sign_off_links_the_decision_and_all_six_ratings_to_their_first_options(world, login):
    for principle in Principle:
        PrincipleCheckFactory(case=world.case, principle=principle.value)
    ClosureReviewFactory(case=world.case)
    OutcomeReviewFactory(desired_outcome=DesiredOutcomeFactory(case=world.case))
    ClosureReview.objects.filter(case=world.case).update(status="sent", sent_by=world.practitioner)
    world.case.state = CaseState.CLOSURE_PENDING
    world.case.save()
    url = reverse("outcomes:closure_sign_off", args=[world.case.pk])
    body = login(world.manager).post(url, {"comments": ""}).content.decode()
    hrefs = _summary_hrefs(body)
    assert hrefs == ["#id_decision_0"] + [f"#id_rating_{principle.value}_0" for principle in Principle]
    _assert_each_lands_on_an_input(hrefs, body)


def test_a_checkbox_group_error_links_to_its_first_checkbox(world, login):
    target = world.practitioner
    data = {"username": target.username, "first_name": "Pat", "last_name": "", "role": target.role,
            "is_active": "on", "teams": []}  # fmt: skip
    body = login(world.lead).post(reverse("accounts:user_edit", args=[target.pk]), data).content.decode()
    hrefs = _summary_hrefs(body)
    assert hrefs == ["#id_teams_0"]
    _assert_each_lands_on_an_input(hrefs, body)
