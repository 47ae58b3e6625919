"""`{% person_feedback case %}` and `{% closure_feedback_note case %}`: the person's feedback on
the MSP record, the staff case summary and the closure review, so outcomes' pages need to
know nothing else about the feedback app (outcomes imports no feedback code)."""

from django import template

from accounts import access
from feedback.models import FeedbackItem, FeedbackResponse, Route
from feedback.questions import ANSWERS, BY_CODE, QUESTION_CODES

register = template.Library()


def staff_responses(case):
    """[{"response", "rows"}] of the case's staff-route responses, oldest first, in one query
    (the MSP record's query count is fixed): every answer with its response and asker."""
    items = (
        FeedbackItem.objects.filter(response__case=case)
        .exclude(response__route=Route.ANONYMOUS)
        .select_related("response__asked_by")
        .order_by("response__asked_on", "response_id", "id")
    )
    position = {code: index for index, code in enumerate(QUESTION_CODES)}
    responses = {}
    for item in items:
        entry = responses.setdefault(item.response_id, {"response": item.response, "rows": []})
        entry["rows"].append({"question": BY_CODE[item.question], "answer": ANSWERS[item.answer], "code": item.answer})
    for entry in responses.values():
        entry["rows"].sort(key=lambda row: position[row["question"].code])
    return list(responses.values())


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


@register.inclusion_tag("feedback/_due_panel.html", takes_context=True)
def feedback_due_panel(context, page="dashboard"):
    """The independent follow-ups on the team dashboard (the team's figures: awaiting within
    eight weeks, and missed) or on My work (the follow-ups this user makes). One query; nothing
    for someone with none to see, so workspace needs no import of feedback."""
    from feedback import selectors

    user = context["request"].user
    if page == "dashboard":
        return {
            "figures": selectors.follow_up_figures(user=user, team=context.get("team")),
            "team": context.get("team"),
        }
    mine = selectors.follow_ups_due(user).count() if access.works_cases(user) else 0
    return {"mine": mine}
