"""In chromium, with axe-core on every page: an adult reads the code off their easy-read
"What you told us" summary PDF and answers the anonymous questionnaire at /feedback/, one
question a page; and the same questionnaire works with JavaScript switched off."""

import pytest
from django.urls import reverse

from feedback.anonymous import STEPS
from feedback.models import FeedbackCode, FeedbackResponse, Route
from feedback.questions import BY_CODE, EASY_ANSWERS
from outcomes import rendering, services
from reporting.pdf import pdf_text

from .anonymous import code_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_on_the_summary(world):
    summary = services.summary_request(case=world.case, actor=world.practitioner, easy_read=True)
    rendering.summary_render(summary_id=summary.pk)
    summary.refresh_from_db()
    with summary.file.open("rb") as f:
        text = " ".join(pdf_text(f.read()).split())
    assert "Tell us what you think" in text
    return code_from(text)


def _answer(page, step):
    if step == "who":
        page.get_by_label("Me. It was about me", exact=True).check()
    elif step == "words":
        page.fill("#id_anything_else", "The worker was kind to me.")
        page.get_by_label("You can share my words with the Safeguarding Adults Board").check()
    else:
        answer = "yes" if "yes" in BY_CODE[step].answers else "rather_not_say"
        page.get_by_label(EASY_ANSWERS[answer], exact=True).check()


def test_an_adult_answers_the_easy_read_questionnaire_with_the_code_from_their_summary(world, journey):
    code = _code_on_the_summary(world)
    j = journey(None)
    j.open(reverse("tell_us:start"))
    assert j.page.get_by_role("heading", name="Tell us what you think").is_visible()
    j.page.fill("#id_code", code)
    j.press("Start")
    for step in STEPS:
        if step in BY_CODE:
            assert j.page.get_by_role("heading", name=BY_CODE[step].easy).is_visible()
        _answer(j.page, step)
        j.press("Next")
    assert j.page.get_by_role("heading", name="Check your answers").is_visible()
    assert "The worker was kind to me." in j.page.inner_text("main")
    j.press("Send my answers")
    assert j.page.get_by_role("heading", name="Thank you").is_visible()
    response = FeedbackResponse.objects.get()
    assert response.route == Route.ANONYMOUS and response.case_id is None
    assert response.answers()["q5_safer"] == "yes"
    assert FeedbackCode.objects.get().used_on is not None


def test_the_questionnaire_works_without_javascript(world, browser, live_server):
    code = _code_on_the_summary(world)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("tell_us:start"))
        page.fill("#id_code", code)
        with page.expect_navigation():
            page.get_by_role("button", name="Start").click()
        for step in STEPS:
            _answer(page, step)
            with page.expect_navigation():
                page.get_by_role("button", name="Next").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Send my answers").click()
        assert page.get_by_role("heading", name="Thank you").is_visible()
    finally:
        context.close()
    assert FeedbackResponse.objects.filter(route=Route.ANONYMOUS).count() == 1
