"""`{% person_feedback case %}` and `{% closure_feedback_note case %}`: the person's feedback on
the MSP record, the staff case summary and the closure review, so outcomes' pages need to
know nothing else about the feedback app (outcomes imports no feedback code)."""

from django import template

from feedback.models import FeedbackResponse, Route
from feedback.questions import ANSWERS, BY_CODE

register = template.Library()


def _rows(response):
    answers = response.answers()
    return [
        {"question": BY_CODE[code], "answer": ANSWERS[answer], "code": answer}
        for code, answer in sorted(answers.items(), key=lambda pair: list(BY_CODE).index(pair[0]))
    ]


def staff_responses(case):
    return [
        {"response": response, "rows": _rows(response)}
        for response in FeedbackResponse.objects.filter(case=case)
        .exclude(route=Route.ANONYMOUS)
        .select_related("asked_by")
        .prefetch_related("items")
        .order_by("asked_on", "id")
    ]


@register.inclusion_tag("feedback/_person_feedback.html")
def person_feedback(case, can_record=False, pdf=False):
    responses = staff_responses(case)
    return {
        "case": case,
        "responses": responses,
        "can_record": can_record,
        "pdf": pdf,
        "has_at_closure": any(r["response"].route == Route.AT_CLOSURE for r in responses),
    }


@register.inclusion_tag("feedback/_closure_feedback_note.html")
def closure_feedback_note(case):
    return {"case": case, "recorded": FeedbackResponse.objects.filter(case=case, route=Route.AT_CLOSURE).exists()}
