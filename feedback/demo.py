"""Demo feedback: the questionnaire for the demo's closure reviews, by every route
(`settings.DEMO_DATA_EXTENSIONS`, run after `outcomes.demo.add_demo_outcomes`)."""

import datetime

from django.utils import timezone

from outcomes.models import ClosureReview

from .models import FeedbackItem, FeedbackResponse, Route, Version, quarter_start
from .questions import QUESTIONS, RATHER_NOT_SAY

WORDS = ("You listened to me.", "I felt safer once the bank knew.", "It took a long time to hear back.")


def _answer(rng, question, kind):
    if rng.random() < 0.08:
        return RATHER_NOT_SAY
    # Answers given to the enquiry lead lean positive: the bias the board sees by route.
    weights = (6, 3, 1) if kind == Route.AT_CLOSURE else (4, 3, 3)
    options = list(question.answers[:3])
    return rng.choices(options, weights=weights[: len(options)])[0]


def add_demo_feedback(case_ids_by_state, rng, stdout):
    reviews = list(ClosureReview.objects.select_related("case").filter(review_held=True).order_by("case_id"))
    responses, answers = [], []
    today = timezone.localdate()
    for index, review in enumerate(reviews):
        asked_on = (review.sent_at or timezone.now()).date()
        routes = [Route.AT_CLOSURE] + ([Route.INDEPENDENT] if index % 3 == 0 else [])
        for route in routes:
            day = min(today, asked_on + datetime.timedelta(days=0 if route == Route.AT_CLOSURE else 30))
            words = rng.choice(WORDS) if rng.random() < 0.3 else ""
            consent = bool(words) and rng.random() < 0.5
            responses.append(
                FeedbackResponse(
                    route=route,
                    version=Version.ADULT if rng.random() < 0.8 else Version.REPRESENTATIVE,
                    team_id=review.case.team_id,
                    case_id=review.case_id,
                    asked_by_id=review.recorded_by_id,
                    asked_on=day,
                    quarter_start=quarter_start(day),
                    anything_else=words,
                    share_consent=consent,
                    quote_status="pending" if consent else "none",
                    recorded_at=timezone.now(),
                )
            )
        if index % 4 == 0:
            responses.append(
                FeedbackResponse(
                    route=Route.ANONYMOUS,
                    version=Version.ADULT,
                    team_id=review.case.team_id,
                    quarter_start=quarter_start(asked_on),
                )
            )
    FeedbackResponse.objects.bulk_create(responses, batch_size=1000)
    for response in responses:
        answers.extend(
            FeedbackItem(response_id=response.pk, question=q.code, answer=_answer(rng, q, response.route))
            for q in QUESTIONS
        )
    FeedbackItem.objects.bulk_create(answers, batch_size=5000)
    stdout.write(f"Feedback: {len(responses)} questionnaires.")
    return len(responses)
