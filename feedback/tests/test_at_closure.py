"""The person's feedback at closure: the questionnaire that replaced the closure review's three
feeling questions, asked by the enquiry lead, with no default answer, audited and in the chronology."""

import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import CaseEvent
from feedback.models import FeedbackItem, FeedbackResponse, QuoteStatus, Route
from feedback.questions import BY_CODE, QUESTION_CODES, QUESTIONS

from .factories import answered

pytestmark = pytest.mark.django_db


def _url(case):
    return reverse("feedback:at_closure", args=[case.pk])


def test_the_questionnaire_has_the_framework_questions_and_the_six_i_statements():
    assert QUESTION_CODES[:7] == (
        "q1_asked",
        "q2_achieved",
        "q3_listened",
        "q4_in_control",
        "q5_safer",
        "q6_informed",
        "q7_respected",
    )
    principles = [q for q in QUESTIONS if q.principle]
    assert [q.principle for q in principles] == [
        "empowerment",
        "prevention",
        "proportionality",
        "protection",
        "partnership",
        "accountability",
    ]
    assert BY_CODE["p_empowerment"].adult.startswith("I am asked what I want as the outcomes")
    for question in QUESTIONS:
        assert question.adult != question.representative and question.easy
        codes = [code for code, _ in question.choices(staff=False)]
        assert codes[-1] == "rather_not_say"  # every scale includes "I'd rather not say"
        assert "not_asked" not in codes  # only staff record that a question was not put
        assert [code for code, _ in question.choices(staff=True)][-1] == "not_asked"


def test_no_answer_is_chosen_before_anyone_answers(world, login):
    page = login(world.practitioner).get(_url(world.case)).content.decode()
    assert "Were you asked what you wanted to happen" in page
    assert "To a representative:" in page
    assert "I&#x27;d rather not say" in page
    assert not re.search(r'type="radio"[^>]*checked', page)


def test_an_unanswered_questionnaire_is_refused_and_the_words_kept(world, login):
    response = login(world.practitioner).post(_url(world.case), {"anything_else": "Kept words"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say who is answering: the adult or a representative." in body
    assert "Choose an answer (or “I&#x27;d rather not say”): Did you feel listened to?" in body
    assert "Kept words" in body
    assert not FeedbackResponse.objects.exists()


def test_the_lead_records_the_answers_audited_and_in_the_chronology(world, login):
    client = login(world.practitioner)
    data = answered("yes", q1_asked="yes_expressed", q2_achieved="partially", q5_safer="rather_not_say")
    data.update(anything_else="You listened to me.", share_consent="on")
    response = client.post(_url(world.case), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#feedback-heading")
    saved = FeedbackResponse.objects.get(case=world.case)
    assert (saved.route, saved.asked_by, saved.team) == (Route.AT_CLOSURE, world.practitioner, world.team_a)
    assert saved.answers()["q5_safer"] == "rather_not_say"
    assert saved.answers()["q2_achieved"] == "partially"
    assert saved.items.count() == len(QUESTIONS)
    assert saved.quote_status == QuoteStatus.PENDING  # consent and words: waits for a lead
    assert CaseEvent.objects.filter(case=world.case, kind="feedback:response").count() == 1
    audit = AuditEvent.objects.get(object_type="feedback.feedbackresponse", action="create")
    assert audit.case_id == world.case.pk and audit.actor == world.practitioner
    assert "q5_safer" in audit.fields and "You listened" not in str(audit.fields) + audit.detail

    page = client.get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert 'id="feedback-heading"' in page and "You listened to me." in page
    assert "Change the person's feedback at closure" in page


def test_a_second_save_changes_the_one_response_at_closure(world, login):
    client = login(world.practitioner)
    client.post(_url(world.case), answered("yes"))
    page = client.get(_url(world.case)).content.decode()
    assert re.search(r'name="q3_listened" value="yes"[^>]*checked', page)  # what was recorded, shown back
    client.post(_url(world.case), answered("yes", q3_listened="no"))
    assert FeedbackResponse.objects.filter(case=world.case).count() == 1
    assert FeedbackItem.objects.get(question="q3_listened").answer == "no"
    assert AuditEvent.objects.filter(object_type="feedback.feedbackresponse", action="update").get().fields == [
        "q3_listened"
    ]


def test_words_without_consent_are_never_offered_to_the_board(world, login):
    login(world.practitioner).post(_url(world.case), answered("no", anything_else="Private words."))
    assert FeedbackResponse.objects.get().quote_status == QuoteStatus.NONE


def test_feedback_at_closure_is_refused_once_the_enquiry_has_gone_for_sign_off(world, login):
    world.case.state = "closure_pending"
    world.case.save(update_fields=["state"])
    response = login(world.practitioner).post(_url(world.case), answered("yes"))
    assert response.status_code == 409
    assert "recorded while the enquiry is open" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_the_closure_review_links_to_the_questionnaire(world, login):
    page = login(world.practitioner).get(reverse("outcomes:closure_review", args=[world.case.pk])).content.decode()
    assert _url(world.case) in page
    assert 'name="felt_listened_to"' not in page


def test_the_demo_answers_every_held_closure_review_by_every_route(world):
    import io
    import random

    from feedback.demo import add_demo_feedback
    from outcomes.tests.factories import ClosureReviewFactory

    for _ in range(4):
        ClosureReviewFactory(case__team=world.team_a, review_held=True, status="sent")
    assert add_demo_feedback({}, random.Random(1), io.StringIO()) == 4 + 2 + 1
    assert FeedbackResponse.objects.filter(route=Route.ANONYMOUS, case=None).count() == 1
    assert FeedbackItem.objects.count() == 7 * len(QUESTIONS)
