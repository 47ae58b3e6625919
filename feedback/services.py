"""Recording a questionnaire's answers, by any route, with its audit entry.

Views call these with cleaned form data; every rule about what is stored lives here (an
anonymous response gets no case, person, asker or time; a quote waits for a lead).
"""

from django.db import transaction
from django.utils import timezone

from accounts import audit
from cases.workflow import log_event

from .models import FeedbackItem, FeedbackResponse, QuoteStatus, Route, quarter_start
from .questions import QUESTION_CODES


def _quote_status(anything_else, share_consent):
    return QuoteStatus.PENDING if share_consent and anything_else.strip() else QuoteStatus.NONE


def _write_items(response, answers):
    """Store {question: answer} for every question of the catalogue that was answered; return
    the codes whose answer changed."""
    current = {item.question: item for item in response.items.all()} if response.pk else {}
    changed = []
    for code in QUESTION_CODES:
        answer = answers.get(code)
        if not answer:
            continue
        item = current.get(code)
        if item is None:
            FeedbackItem.objects.create(response=response, question=code, answer=answer)
            changed.append(code)
        elif item.answer != answer:
            item.answer = answer
            item.save(update_fields=["answer"])
            changed.append(code)
    return changed


ROUTE_WORDS = {Route.AT_CLOSURE: "at closure", Route.INDEPENDENT: "by an independent follow-up"}


@transaction.atomic
def record_staff_response(*, case, actor, route, data):
    """Record the person's answers given to a member of staff (`route`: at closure or the
    independent follow-up). `data`: the questionnaire form's cleaned data (version, asked_on,
    every question code, anything_else, share_consent). At closure a case has one response,
    which a second save changes; each follow-up is its own response."""
    response = None
    if route == Route.AT_CLOSURE:
        response = FeedbackResponse.objects.select_for_update().filter(case=case, route=route).first()
    created = response is None
    if created:
        response = FeedbackResponse(case=case, route=route, team_id=case.team_id, asked_by=actor)
    words = data.get("anything_else", "")
    consent = bool(data.get("share_consent"))
    written = []
    for name, value in (("version", data["version"]), ("asked_on", data["asked_on"])):
        if getattr(response, name) != value:
            setattr(response, name, value)
            written.append(name)
    if response.anything_else != words or response.share_consent != consent:
        response.anything_else, response.share_consent = words, consent
        response.quote_status = _quote_status(words, consent)
        response.quote_reviewed_by = response.quote_reviewed_at = None
        written += ["anything_else", "share_consent"]
    response.quarter_start = quarter_start(response.asked_on)
    response.recorded_at = timezone.now()
    response.save()
    written += _write_items(response, data)
    if created or written:
        log_event(
            case=case,
            actor=actor,
            kind="feedback:response",
            summary=f"The person's feedback {'recorded' if created else 'changed'} ({ROUTE_WORDS[route]}).",
        )
        audit.record(
            actor=actor,
            action=audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
            obj=response,
            case_id=case.pk,
            fields=written,
            detail=f"feedback {route}",
        )
    return response


def at_closure_response(case):
    return FeedbackResponse.objects.filter(case=case, route=Route.AT_CLOSURE).prefetch_related("items").first()
