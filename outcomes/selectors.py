"""Reads of MSP records. Every one starts from the access policy's scope.

The work-queue selectors (`open_door_followups_due`, `overdue_plan_actions`,
`last_contact_by_case`) run one query each, whatever the number of rows.
"""

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from cases.access import case_scope, correction_refusal, get_case_for_user
from cases.models import Case

from .models import (
    ActionStatus,
    Advocacy,
    CapacityAssessment,
    Conversation,
    DeclinedSupport,
    DesiredOutcome,
    DesiredOutcomeRevision,
    PlanAction,
    Principle,
    PrincipleCheck,
    RecordRevision,
    SummaryDocument,
)

#: Why an outcome was negotiated, in plain English for the adult's summary.
PLAIN_REASONS = {
    "risk_to_others": "Other people could be at risk of harm.",
    "public_interest": "A crime may have happened, or other people need to be kept safe.",
    "legal_duty": "The law says we must do certain things.",
    "not_possible": "It was not possible to do it the way you asked.",
    "best_interests": "We thought carefully about what is best for you.",
}

#: The same reasons for the easy-read summary: short sentences, one idea per line.
EASY_READ_REASONS = {
    "risk_to_others": ["Other people could get hurt."],
    "public_interest": ["A crime may have happened.", "Other people need to be kept safe."],
    "legal_duty": ["The law says we must do some things."],
    "not_possible": ["It was not possible."],
    "best_interests": ["We thought hard about what is best for you."],
}

QUEUE_RELATED = ("case__person", "case__team", "case__enquiry__lead_practitioner")


def followups_due(on=None):
    """Every open-door follow-up not done and due on or before `on`, in no one's scope (the rule
    alone: `open_door_followups_due` limits it to a user; the reminders sweep reads it whole)."""
    return DeclinedSupport.objects.filter(follow_up_done_at__isnull=True, follow_up_on__lte=on or timezone.localdate())


def plan_actions_overdue(on=None):
    """Every open protection-plan action whose due date is before `on`, in no one's scope."""
    return PlanAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=on or timezone.localdate())


def open_door_followups_due(user, on=None):
    """Open-door follow-ups on declined support in the user's scope, not done, due on or before `on`."""
    return (
        followups_due(on)
        .filter(case_scope(user, prefix="case__"))
        .select_related(*QUEUE_RELATED)
        .order_by("follow_up_on", "id")
    )


def overdue_plan_actions(user, on=None):
    """Open protection-plan actions in the user's scope whose due date is before `on`."""
    return (
        plan_actions_overdue(on)
        .filter(case_scope(user, prefix="case__"))
        .select_related(*QUEUE_RELATED)
        .order_by("due_on", "id")
    )


def last_contact_by_case(user):
    """Rows of `{"case_id", "last_contact"}`: each in-scope case's latest conversation date."""
    return (
        Conversation.objects.filter(case_scope(user, prefix="case__"))
        .values("case_id")
        .annotate(last_contact=Max("held_on"))
        .order_by("case_id")
    )


def last_contact_subquery(case_ref="pk"):
    """A subquery for annotating an (already scoped) Case queryset with its latest conversation date:
    `Case.objects.filter(case_scope(user)).annotate(last_contact=last_contact_subquery())`."""
    return Subquery(Conversation.objects.filter(case_id=OuterRef(case_ref)).order_by("-held_on").values("held_on")[:1])


def _mine(user):
    return Q(case__enquiry__lead_practitioner=user) | Q(recorded_by=user)


def my_followups(user, on=None):
    """The user's own due open-door follow-ups and overdue plan actions (cases they lead or records they made)."""
    return {
        "followups": open_door_followups_due(user, on=on).filter(_mine(user)),
        "actions": overdue_plan_actions(user, on=on).filter(_mine(user)),
    }


def enquiry_case(user, pk, *, write=False):
    """The case behind an enquiry record page, through the access policy (404/403)."""
    return get_case_for_user(
        user,
        pk,
        write=write,
        queryset=Case.objects.select_related(
            "person", "team", "enquiry__lead_practitioner", "closure_review__signed_off_by"
        ),
    )


def case_record(user, model, pk, *, related=()):
    """One MSP record (of `model`) whose case is in the user's scope, with its case and
    `related`: 404 otherwise. The case's own page rules (`enquiry_case`) are checked after."""
    from django.http import Http404

    record = (
        model.objects.filter(case_scope(user, prefix="case__")).select_related("case", *related).filter(pk=pk).first()
    )
    if record is None:
        raise Http404("No such record.")
    return record


def stored_version(record):
    """The version of `record` now stored (after an edit conflict)."""
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


def principle_checks(case):
    """The case's six-principle checks by principle."""
    return {check.principle: check for check in PrincipleCheck.objects.filter(case=case)}


def closure_outcomes(case):
    """The case's desired outcomes with what the closure review shows of each."""
    return DesiredOutcome.objects.filter(case=case).select_related("negotiated", "review")


def closure_risks(case):
    """The case's risks, in the order recorded, with their types: what the closure review asks
    an outcome of."""
    return case.risks.prefetch_related("types").order_by("id")


def outcome_revisions(outcome):
    """Every kept wording of a desired outcome, with who changed it."""
    return outcome.revisions.select_related("changed_by")


def record_history(record):
    """Every kept version of one correctable record, newest first (empty until it is corrected)."""
    return list(record.revisions.select_related("changed_by", "content_type").order_by("-version"))


def _attach_history(case, user, groups):
    """Give each correctable record its `history` (all revisions of the case in one query) and,
    for `user`, whether they may correct it (`can_correct`)."""
    from django.contrib.contenttypes.models import ContentType

    by_record = {}
    revisions = RecordRevision.objects.filter(case=case).select_related("changed_by", "content_type")
    for revision in revisions.order_by("-version"):
        by_record.setdefault((revision.content_type_id, revision.object_id), []).append(revision)
    for records in groups:
        for record in records:
            content_type = ContentType.objects.get_for_model(record)
            record.history = by_record.get((content_type.pk, record.pk), [])
            record.can_correct = user is not None and not correction_refusal(user=user, case=case, record=record)


def enquiry_record(*, case, user=None):
    """Everything the enquiry record page shows, in a constant number of queries."""
    desired = list(
        DesiredOutcome.objects.filter(case=case)
        .select_related("negotiated", "review", "recorded_by")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=DesiredOutcomeRevision.objects.select_related("changed_by").order_by("-version"),
            )
        )
    )
    checks = {c.principle: c for c in PrincipleCheck.objects.filter(case=case).select_related("reviewed_by")}
    principles = [{"principle": p, "check": checks.get(p.value), "i_statement": _i(p)} for p in Principle]
    today = timezone.localdate()
    actions = list(PlanAction.objects.filter(case=case))
    for action in actions:
        action.flag_overdue = action.is_overdue(today)
    conversations = list(Conversation.objects.filter(case=case).select_related("recorded_by"))
    capacity = list(CapacityAssessment.objects.filter(case=case))
    advocacy = list(Advocacy.objects.filter(case=case))
    declined = list(DeclinedSupport.objects.filter(case=case).select_related("follow_up_done_by"))
    _attach_history(case, user, (conversations, capacity, advocacy, declined, actions))
    return {
        "conversations": conversations,
        "desired_outcomes": desired,
        "capacity_assessments": capacity,
        "advocacy_records": advocacy,
        "declined_support": declined,
        "plan_actions": actions,
        "principles": principles,
        "principles_complete": all(c.evidence.strip() for c in checks.values()) and len(checks) == len(Principle),
        "risks": list(case.risks.prefetch_related("types").order_by("id")),
        "summaries": list(SummaryDocument.objects.filter(case=case).select_related("requested_by")[:5]),
        "today": today,
        "action_statuses": ActionStatus.choices,
    }


def _i(principle):
    from .models import I_STATEMENTS

    return I_STATEMENTS[principle]


def summary_for_user(user, pk):
    """A summary document whose case is in the user's scope (404 otherwise)."""
    from django.http import Http404

    summary = (
        SummaryDocument.objects.filter(case_scope(user, prefix="case__")).select_related("case").filter(pk=pk).first()
    )
    if summary is None:
        raise Http404("No such summary.")
    return summary


def summary_context(*, case):
    """What the adult's "What you told us" summary shows: their words, what was agreed and why,
    who is involved and how to get back in touch."""
    case = Case.objects.select_related("person", "team", "enquiry__lead_practitioner").get(pk=case.pk)
    desired = list(DesiredOutcome.objects.filter(case=case).select_related("negotiated", "review"))
    for outcome in desired:
        negotiated = getattr(outcome, "negotiated", None)
        outcome.plain_reason = PLAIN_REASONS.get(negotiated.reason, "") if negotiated else ""
        outcome.easy_read_reason = EASY_READ_REASONS.get(negotiated.reason, []) if negotiated else []
    conversations = list(Conversation.objects.filter(case=case).order_by("held_on", "id"))
    lead = getattr(getattr(case, "enquiry", None), "lead_practitioner", None)
    today = timezone.localdate()
    plan_actions = PlanAction.objects.filter(case=case).exclude(status=ActionStatus.CANCELLED)
    return {
        "case": case,
        "person": case.person,
        "desired_outcomes": desired,
        "what_matters": _latest_distinct([c.what_matters.strip() for c in conversations], keep=5),
        "next_contact": next((c.next_contact_on for c in reversed(conversations) if c.next_contact_on), None),
        "plan_lines": [_plan_line(a) for a in plan_actions],
        "declined": [_declined_line(d, today) for d in DeclinedSupport.objects.filter(case=case)],
        "advocacy_records": list(Advocacy.objects.filter(case=case)),
        "lead": lead,
        "today": today,
    }


def _lower_first(text):
    """'Ring the bank' -> 'ring the bank' mid-sentence; 'NHS', 'Pat' or 'Age UK' keep their case
    (only a common first word is lowered)."""
    text = " ".join(str(text).split()).rstrip(".")
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()) and first.lower() in _COMMON_STARTS:
        return text[0].lower() + text[1:]
    return text


#: Words a plan action or a declined service often starts with, lowered mid-sentence.
_COMMON_STARTS = {
    "a", "an", "the", "ring", "call", "phone", "contact", "visit", "speak", "talk", "write", "send",
    "arrange", "refer", "review", "check", "support", "help", "offer", "make", "set", "change", "apply",
    "ask", "tell", "meet", "give", "book", "find", "home", "day", "carers", "care", "respite", "referral",
    "advocacy", "counselling", "police", "moving", "daily", "weekly", "regular",
}  # fmt: skip


def _plan_line(action):
    """One plan line, as a sentence to the adult: their own words if written, else who does what."""
    if action.for_the_person.strip():
        return {"text": action.for_the_person.strip(), "done": action.status == ActionStatus.DONE, "own_words": True}
    what = _lower_first(action.action)
    if action.status == ActionStatus.DONE:
        return {"text": f"{action.responsible} has done this: {what}.", "done": True}
    return {"text": f"{action.responsible} is doing this: {what}.", "done": False}


def _declined_line(declined, today):
    """Support the adult said no to, and the open door: they can change their mind, and when
    the team will ask again (while that follow-up is still to come)."""
    if declined.for_the_person.strip():
        text = declined.for_the_person.strip()
    else:
        text = f"You said no to this: {_lower_first(declined.what_was_declined)}."
    ask_again = declined.follow_up_on if declined.follow_up_done_at is None and declined.follow_up_on >= today else None
    return {"text": text, "ask_again_on": ask_again, "override": bool(declined.override_reason)}


def _latest_distinct(texts, *, keep):
    """The last `keep` distinct non-empty texts, oldest first (a summary, not a transcript)."""
    seen, result = set(), []
    for text in reversed(texts):
        if text and text not in seen:
            seen.add(text)
            result.append(text)
    return list(reversed(result[:keep]))
