"""Carry every closure review's feedback over to the questionnaire, before outcomes 0010 drops it.

Each closure review becomes one response by the route "at closure" (asked by whoever recorded
the review, on the day it was sent for sign-off or last saved), with its three feeling answers
as items (`questions.CLOSURE_REVIEW_ITEMS`; the old codes yes/partly/no/not_asked are codes of
the new scale), every other question "not_asked" (the review never asked it, and every
response answers every question), and the person's own words as "anything else". Who answered was not recorded,
and no consent to share their words was asked: `not_recorded`, no consent.
"""

from django.db import migrations

OLD_SCALE = ("yes", "partly", "no", "not_asked")
#: Every question of the questionnaire as it stood in this migration: the ones the closure
#: review never asked are recorded as not asked, so every response answers every question.
QUESTIONS = (
    "q1_asked", "q2_achieved", "q3_listened", "q4_in_control", "q5_safer", "q6_informed", "q7_respected",
    "p_empowerment", "p_prevention", "p_proportionality", "p_protection", "p_partnership", "p_accountability",
)  # fmt: skip
ITEMS = {"felt_listened_to": "q3_listened", "felt_safer": "q5_safer", "felt_in_control": "q4_in_control"}


def _quarter_start(day):
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def forwards(apps, schema_editor):
    ClosureReview = apps.get_model("outcomes", "ClosureReview")
    Response = apps.get_model("feedback", "FeedbackResponse")
    Item = apps.get_model("feedback", "FeedbackItem")
    reviews = ClosureReview.objects.select_related("case").order_by("pk")
    for start in range(0, reviews.count(), 1000):
        batch = list(reviews[start : start + 1000])
        responses = Response.objects.bulk_create(
            [
                Response(
                    route="at_closure",
                    version="not_recorded",
                    team_id=review.case.team_id,
                    case_id=review.case_id,
                    asked_by_id=review.recorded_by_id,
                    asked_on=(review.sent_at or review.updated_at).date(),
                    quarter_start=_quarter_start((review.sent_at or review.updated_at).date()),
                    anything_else=review.adult_comments,
                    quote_status="none",
                    recorded_at=review.sent_at or review.updated_at,
                )
                for review in batch
            ]
        )
        carried = {question: field for field, question in ITEMS.items()}
        Item.objects.bulk_create(
            [
                Item(
                    response_id=response.pk,
                    question=question,
                    answer=(getattr(review, carried[question]) or "not_asked") if question in carried else "not_asked",
                )
                for review, response in zip(batch, responses, strict=True)
                for question in QUESTIONS
            ]
        )


def _old(answer):
    """An answer of the new scale the old one lacks ("I'd rather not say") goes back as not asked."""
    return answer if answer in OLD_SCALE else "not_asked"


def backwards(apps, schema_editor):
    ClosureReview = apps.get_model("outcomes", "ClosureReview")
    Response = apps.get_model("feedback", "FeedbackResponse")
    for response in Response.objects.filter(route="at_closure").prefetch_related("items"):
        answers = {item.question: item.answer for item in response.items.all()}
        ClosureReview.objects.filter(case_id=response.case_id).update(
            adult_comments=response.anything_else,
            **{field: _old(answers.get(question)) for field, question in ITEMS.items()},
        )
    Response.objects.filter(route="at_closure").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_questionnaire"),
        ("outcomes", "0009_case_summary_and_easy_read"),
    ]
    run_before = [("outcomes", "0010_closure_feedback_moved_to_feedback")]

    operations = [migrations.RunPython(forwards, backwards)]
