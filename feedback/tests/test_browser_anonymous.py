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


def test_a_practitioner_emails_the_code_and_the_adult_opens_the_questionnaire_with_it(world, journey):
    import re

    from django.core import mail

    j = journey(world.practitioner)
    j.open(reverse("outcomes:enquiry", args=[world.case.pk]))
    j.follow("Email the person a code for the anonymous questionnaire")
    j.page.fill("#id_email", "person-at-home@example.invalid")
    j.press("Email the code")  # the agreement not ticked: refused, the address kept
    assert "Tick to confirm that the person agreed" in j.page.inner_text("main")
    assert j.page.input_value("#id_email") == "person-at-home@example.invalid"
    j.page.get_by_label("The person (or their representative) agreed to be emailed this code").check()
    j.press("Email the code")
    assert "The code for the anonymous questionnaire was emailed to the person." in j.page.inner_text("main")
    code = re.search(r"type this code: ([A-Z0-9-]+)", mail.outbox[-1].body).group(1)
    visitor = journey(None)
    visitor.open(reverse("tell_us:start"))
    visitor.page.fill("#id_code", code)
    visitor.press("Start")
    # The code opened the questionnaire: its first page asks who is answering.
    assert visitor.page.get_by_label("Me. It was about me", exact=True).is_visible()
    assert code.replace("-", "") not in visitor.page.url.replace("-", "")  # never in an address
