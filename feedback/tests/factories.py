"""Synthetic questionnaire answers."""

from django.utils import timezone

from feedback.models import FeedbackItem, FeedbackResponse, Route, Version, quarter_start
from feedback.questions import QUESTIONS


def answered(answer="yes", **overrides):
    """Questionnaire POST data: every question answered `answer` where its scale has it
    (else "I'd rather not say"), the adult answering today."""
    data = {"version": Version.ADULT, "asked_on": timezone.localdate().isoformat()}
    for question in QUESTIONS:
        data[question.code] = answer if answer in question.answers else "rather_not_say"
    data.update(overrides)
    return data


def response(*, case=None, team=None, route=Route.AT_CLOSURE, answers=None, day=None, **fields):
    """A stored response with `answers` ({question: answer})."""
    day = day or timezone.localdate()
    if route == Route.ANONYMOUS:
        made = FeedbackResponse.objects.create(
            route=route,
            version=fields.pop("version", Version.ADULT),
            team=team,
            quarter_start=quarter_start(day),
            **fields,
        )
    else:
        made = FeedbackResponse.objects.create(
            route=route,
            version=fields.pop("version", Version.ADULT),
            team=team or case.team,
            case=case,
            asked_on=day,
            quarter_start=quarter_start(day),
            recorded_at=timezone.now(),
            **fields,
        )
    FeedbackItem.objects.bulk_create(
        [FeedbackItem(response=made, question=q, answer=a) for q, a in (answers or {}).items()]
    )
    return made


def closed_case(team, *, days_ago=5, **case_fields):
    """A case of `team` whose enquiry closed `days_ago` days ago."""
    import datetime

    from cases.models import CaseState
    from cases.tests.factories import EnquiryFactory
    from msp.timezone import LONDON

    closed_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    enquiry = EnquiryFactory(
        case__team=team,
        case__state=CaseState.CLOSED,
        started_on=closed_on - datetime.timedelta(days=30),
        concluded_on=closed_on,
        # As the closure sign-off sets it: the case closes when its enquiry concludes.
        case__closed_at=datetime.datetime.combine(closed_on, datetime.time(12), tzinfo=LONDON),
        **{f"case__{k}": v for k, v in case_fields.items()},
    )
    return enquiry.case


def named(user, team, *, by):
    from feedback.models import FollowUpReviewer

    return FollowUpReviewer.objects.get_or_create(team=team, user=user, defaults={"added_by": by})[0]
