"""Synthetic Making Safeguarding Personal records for the demo data set (never real people).

`add_demo_outcomes()` is called by the demo-data generator with the generated cases' ids by
state. It adds conversations, desired and negotiated outcomes, capacity and advocacy, declined
support, plan actions, principle checks and closure reviews to a bounded number of enquiries
(bulk writes), and for closed cases stores the SAC answers derived from those records, so the
demo's reports agree with its records.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cases.codes import RISK_IDENTIFIED, RiskAssessment, RiskResult
from cases.models import CaseState, Enquiry, Risk

from . import sac
from .models import (
    ActionStatus,
    Advocacy,
    CapacityAssessment,
    ClosureReview,
    ClosureStatus,
    Conversation,
    DeclinedSupport,
    DesiredOutcome,
    DesiredOutcomeRevision,
    NegotiatedOutcome,
    OutcomeReview,
    PlanAction,
    Principle,
    PrincipleCheck,
)

MAX_CASES = 300

WHAT_MATTERS = [
    "I want to stay in my own home. It is where I feel like me.",
    "I just want things to go back to how they were before.",
    "I don't want to get anyone into trouble, I just want it to stop.",
    "My cat is all I have. Whatever happens, I need to keep her.",
    "I want to be able to choose who comes into my flat.",
    "I want to see my grandchildren, but on my terms.",
    "I'm frightened of him but I don't want to leave.",
    "I want someone to listen to me for once.",
]
DESIRED = [
    "I want my money back.",
    "I want him to stop coming round when I am on my own.",
    "I want to manage my own bank card again.",
    "I want the carers to come on time and treat me kindly.",
    "I want to stay living here.",
    "I want to feel safe going to the shops.",
    "I want my daughter to know what has been happening.",
    "I want the police to be involved.",
    "I don't want the police involved.",
    "I want to move to a different care home.",
]
NEGOTIATED = [
    (
        "public_interest",
        "The police have been told because others may be at risk; you choose whether to speak to them.",
    ),
    ("not_possible", "The bank cannot return the money straight away; they are looking into it and will write to you."),
    ("risk_to_others", "He can visit when your daughter is there, while the plan is reviewed."),
    ("best_interests", "A short stay in respite care while your home is made safe."),
    ("legal_duty", "The care provider has been reported to the regulator, as we must."),
]
ACTIONS = [
    ("Bank to add a safeguarding marker to the account.", "Synthetic Bank safeguarding team"),
    ("Refer to the domestic abuse service, with consent.", "Lead practitioner"),
    ("Care provider to review the visit rota.", "Synthetic Care Ltd manager"),
    ("Police welfare visit.", "Neighbourhood policing team"),
    ("GP to review medication.", "GP practice"),
    ("Arrange an independent Care Act advocate.", "Advocacy service"),
]
EVIDENCE = {
    Principle.EMPOWERMENT: "Asked what she wanted at the first visit; her words shaped the plan.",
    Principle.PREVENTION: "Explained the signs of financial abuse and how to get help.",
    Principle.PROPORTIONALITY: "Kept to the least intrusive steps she agreed to.",
    Principle.PROTECTION: "Bank marker and welfare visits in place.",
    Principle.PARTNERSHIP: "Worked with the bank, GP and police, sharing only what was needed.",
    Principle.ACCOUNTABILITY: "Each agency's part agreed and written in the plan.",
}


def _date_between(rng, start, end):
    span = max((end - start).days, 0)
    return start + datetime.timedelta(days=rng.randint(0, span))


@dataclass
class _Rows:
    """The records made so far, by kind, and for each case what its SAC answers derive from."""

    conversations: list = field(default_factory=list)
    desired: list = field(default_factory=list)
    capacity: list = field(default_factory=list)
    advocacy: list = field(default_factory=list)
    declined: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    negotiated: list = field(default_factory=list)
    outcome_reviews: list = field(default_factory=list)
    plan: dict = field(default_factory=dict)  # case id -> (state, facts to derive from)


@transaction.atomic
def add_demo_outcomes(case_ids_by_state, rng, stdout):
    """Add synthetic MSP records to at most MAX_CASES open, pending and closed enquiries."""
    enquiries, chosen = _chosen_enquiries(case_ids_by_state)
    today, now = timezone.localdate(), timezone.now()
    rows = _Rows()
    for state, case_id in chosen:
        _add_case_records(rows, rng, state, enquiries[case_id], today=today, now=now)
    _save_conversations_and_desired_outcomes(rows, now)
    _add_negotiated_outcomes_and_reviews(rows, rng)
    _save_other_records(rows, rng)
    _store_derived_sac_answers(rows, enquiries, today)
    stdout.write(
        f"MSP records: {len(rows.plan)} enquiries, {len(rows.conversations)} conversations, "
        f"{len(rows.desired)} desired outcomes, {len(rows.negotiated)} negotiated, "
        f"{len(rows.actions)} plan actions, {len(rows.reviews)} closure reviews."
    )
    return len(rows.plan)


def _chosen_enquiries(case_ids_by_state):
    """The enquiries of up to MAX_CASES cases, shared between open, pending and closed ones."""
    states = (CaseState.ENQUIRY_OPEN, CaseState.CLOSURE_PENDING, CaseState.CLOSED)
    chosen = []
    for state in states:
        ids = list(case_ids_by_state.get(state, []) or case_ids_by_state.get(str(state), []))
        chosen.extend((state, case_id) for case_id in ids[: MAX_CASES // len(states)])
    enquiries = {e.case_id: e for e in Enquiry.objects.filter(case_id__in=[c for _, c in chosen])}
    return enquiries, [(state, case_id) for state, case_id in chosen if case_id in enquiries]


def _add_case_records(rows, rng, state, enquiry, *, today, now):
    """One enquiry's records, of every kind its state allows (in a fixed order: the seed decides all)."""
    case_id, lead = enquiry.case_id, enquiry.lead_practitioner_id
    start = enquiry.started_on or today - datetime.timedelta(days=30)
    end = max(min(enquiry.concluded_on or today, today), start)
    expressed = rng.random() < 0.8
    facts = {"desired": 0, "none": not expressed, "capacity": [], "advocacy": [], "reviews": []}
    rows.conversations.extend(_conversations(rng, case_id, lead, start, end, expressed=expressed))
    if expressed:
        desired = _desired_outcomes(rng, case_id, lead, start, end)
        rows.desired.extend(desired)
        facts["desired"] += len(desired)
    if rng.random() < 0.35:
        capacity = _capacity_assessment(rng, case_id, lead, start, end)
        rows.capacity.append(capacity)
        facts["capacity"].append(capacity.outcome)
        advocacy = _advocacy(rng, case_id, lead, start)
        rows.advocacy.append(advocacy)
        facts["advocacy"].append(advocacy.kind)
    if rng.random() < 0.2:
        rows.declined.append(_declined_support(rng, case_id, lead, start, end, today))
    rows.actions.extend(_plan_actions(rng, case_id, lead, start, state))
    if state != CaseState.ENQUIRY_OPEN or rng.random() < 0.3:
        rows.checks.extend(_principle_checks(rng, case_id, lead, state, now))
    if state in (CaseState.CLOSURE_PENDING, CaseState.CLOSED):
        rows.reviews.append(_closure_review(rng, case_id, lead, state, now))
    rows.plan[case_id] = (state, facts)


def _conversations(rng, case_id, lead, start, end, *, expressed):
    conversations = []
    for n in range(rng.randint(1, 4)):
        alone = rng.random() < 0.7
        conversations.append(
            Conversation(
                case_id=case_id,
                held_on=_date_between(rng, start, end),
                mode=rng.choice(["face_to_face", "face_to_face", "phone", "video", "interpreter"]),
                with_family=not alone and rng.random() < 0.6,
                with_advocate=rng.random() < 0.2,
                spoken_to_alone=alone,
                not_alone_reason="" if alone else "A family member was present and would not leave.",
                what_matters=rng.choice(WHAT_MATTERS),
                outcomes_discussion=("expressed" if expressed else "none_expressed") if n == 0 else "not_discussed",
                options_explained="Explained the options, including doing nothing, and the risks of each.",
                persons_decision="She chose to go ahead with the bank marker only.",
                next_steps="Speak again after the bank has replied.",
                next_contact_on=end + datetime.timedelta(days=rng.randint(3, 21)),
                recorded_by_id=lead,
            )
        )
    return conversations


def _desired_outcomes(rng, case_id, lead, start, end):
    return [
        DesiredOutcome(
            case_id=case_id,
            words=words,
            expressed_by=rng.choice(["adult", "adult", "adult", "representative", "best_interests"]),
            expressed_on=_date_between(rng, start, end),
            recorded_by_id=lead,
        )
        for words in rng.sample(DESIRED, rng.randint(1, 3))
    ]


def _capacity_assessment(rng, case_id, lead, start, end):
    lacks = rng.random() < 0.5
    return CapacityAssessment(
        case_id=case_id,
        decision="Whether to take part in the safeguarding enquiry.",
        outcome="lacks_capacity" if lacks else "has_capacity",
        assessed_on=_date_between(rng, start, end),
        assessor="Synthetic Assessor, social worker",
        best_interests="Daughter and GP consulted; enquiry continues in her best interests." if lacks else "",
        recorded_by_id=lead,
    )


def _advocacy(rng, case_id, lead, start):
    kind = rng.choice(["independent", "family_friend", "other", "none", "declined"])
    return Advocacy(
        case_id=case_id,
        kind=kind,
        from_date=start,
        advocate="Synthetic Advocacy Service" if kind == "independent" else "",
        recorded_by_id=lead,
    )


def _declined_support(rng, case_id, lead, start, end, today):
    return DeclinedSupport(
        case_id=case_id,
        declined_on=_date_between(rng, start, end),
        what_was_declined="A referral to the domestic abuse service.",
        what_was_explained="What the service offers, and that she can change her mind at any time.",
        override_reason=rng.choice(["", "", "others_at_risk", "coercion"]),
        override_detail="Children visit the home." if rng.random() < 0.5 else "Possible control by partner.",
        follow_up_on=today + datetime.timedelta(days=rng.randint(-10, 20)),
        recorded_by_id=lead,
    )


def _plan_actions(rng, case_id, lead, start, state):
    return [
        PlanAction(
            case_id=case_id,
            action=action,
            responsible=responsible,
            due_on=start + datetime.timedelta(days=rng.randint(3, 40)),
            status=ActionStatus.DONE if state == CaseState.CLOSED else rng.choice(["open", "open", "done"]),
            recorded_by_id=lead,
        )
        for action, responsible in rng.sample(ACTIONS, rng.randint(1, 3))
    ]


def _principle_checks(rng, case_id, lead, state, now):
    reviewed = state == CaseState.CLOSED
    return [
        PrincipleCheck(
            case_id=case_id,
            principle=principle.value,
            evidence=EVIDENCE[principle],
            evidenced_by_id=lead,
            evidenced_at=now,
            rating=rng.choice(["met", "met", "partly"]) if reviewed else "",
            reviewed_at=now if reviewed else None,
        )
        for principle in Principle
    ]


def _closure_review(rng, case_id, lead, state, now):
    held = rng.random() < 0.85
    return ClosureReview(
        case_id=case_id,
        review_held=held,
        no_review_reason="" if held else rng.choice(["died", "moved", "declined"]),
        status=ClosureStatus.SIGNED_OFF if state == CaseState.CLOSED else ClosureStatus.SENT,
        sent_by_id=lead,
        sent_at=now,
        recorded_by_id=lead,
    )


def _risk_outcomes(rng, case_ids):
    """Each risk of a case sent for closure (or closed) that has no outcome yet gets its
    assessment outcome and, where identified, its result; about one enquiry in twenty ceased at
    the adult's request (every risk ceased). Risks the generator already concluded keep theirs."""
    ceased = {case_id for case_id in sorted(case_ids) if rng.random() < 0.05}
    others = [a for a in RiskAssessment.values if a != RiskAssessment.CEASED]
    risks = list(Risk.objects.filter(case_id__in=case_ids, assessment="").only("id", "case_id").order_by("id"))
    for risk in risks:
        if risk.case_id in ceased:
            risk.assessment, risk.result = RiskAssessment.CEASED, ""
        else:
            risk.assessment = rng.choice([RiskAssessment.IDENTIFIED_ACTION, *others])
            risk.result = rng.choice(RiskResult.values) if risk.assessment in RISK_IDENTIFIED else ""
    Risk.objects.bulk_update(risks, ["assessment", "result"], batch_size=500)


def _save_conversations_and_desired_outcomes(rows, now):
    """Saved first: negotiated outcomes and outcome reviews point at the desired outcomes."""
    Conversation.objects.bulk_create(rows.conversations, batch_size=500)
    DesiredOutcome.objects.bulk_create(rows.desired, batch_size=500)
    DesiredOutcomeRevision.objects.bulk_create(
        [
            DesiredOutcomeRevision(
                outcome=o,
                version=1,
                words=o.words,
                expressed_by=o.expressed_by,
                expressed_on=o.expressed_on,
                changed_by_id=o.recorded_by_id,
                changed_at=now,
            )
            for o in rows.desired
        ],
        batch_size=500,
    )


def _add_negotiated_outcomes_and_reviews(rows, rng):
    """Some desired outcomes are negotiated; every one in a case with a closure review is reviewed."""
    review_by_case = {r.case_id: r for r in rows.reviews}
    for outcome in rows.desired:
        if rng.random() < 0.3:
            rows.negotiated.append(_negotiated_outcome(rng, outcome))
        review = review_by_case.get(outcome.case_id)
        if review is not None:
            outcome_review = _outcome_review(rng, outcome, held=review.review_held)
            rows.outcome_reviews.append(outcome_review)
            result = sac.OutcomeResult(outcome_review.adult_view, outcome_review.practitioner_view)
            rows.plan[outcome.case_id][1]["reviews"].append(result)


def _negotiated_outcome(rng, outcome):
    reason, words = rng.choice(NEGOTIATED)
    return NegotiatedOutcome(
        case_id=outcome.case_id,
        desired_outcome=outcome,
        words=words,
        reason=reason,
        explained_to_adult=True,
        explained_on=outcome.expressed_on,
        recorded_by_id=outcome.recorded_by_id,
    )


def _outcome_review(rng, outcome, *, held):
    practitioner = rng.choice(["fully", "fully", "partially", "not"])
    adult = rng.choice(["fully", "partially", "not", practitioner]) if held else ""
    return OutcomeReview(
        case_id=outcome.case_id, desired_outcome=outcome, adult_view=adult, practitioner_view=practitioner
    )


def _save_other_records(rows, rng):
    NegotiatedOutcome.objects.bulk_create(rows.negotiated, batch_size=500)
    OutcomeReview.objects.bulk_create(rows.outcome_reviews, batch_size=500)
    CapacityAssessment.objects.bulk_create(rows.capacity, batch_size=500)
    Advocacy.objects.bulk_create(rows.advocacy, batch_size=500)
    DeclinedSupport.objects.bulk_create(rows.declined, batch_size=500)
    PlanAction.objects.bulk_create(rows.actions, batch_size=500)
    PrincipleCheck.objects.bulk_create(rows.checks, batch_size=500)
    ClosureReview.objects.bulk_create(rows.reviews, batch_size=500)
    _risk_outcomes(rng, [r.case_id for r in rows.reviews])


def _store_derived_sac_answers(rows, enquiries, today):
    """Closed enquiries carry the SAC answers their records give, exactly as a sign-off would."""
    closed = []
    for case_id, (state, facts) in rows.plan.items():
        if state != CaseState.CLOSED:
            continue
        enquiry = enquiries[case_id]
        answers = sac.derive_sac_answers(
            sac.EnquiryFacts(
                desired_outcomes=facts["desired"],
                asked_none_expressed=facts["none"],
                reviews=tuple(facts["reviews"]),
                capacity=tuple(facts["capacity"]),
                advocacy=tuple(facts["advocacy"]),
            )
        )
        for name, value in answers.as_fields().items():
            setattr(enquiry, name, value)
        enquiry.concluded_on = enquiry.concluded_on or today
        closed.append(enquiry)
    Enquiry.objects.bulk_update(
        closed,
        [
            "asked_desired_outcomes",
            "asked_dont_know_reason",
            "outcomes_achieved",
            "lacked_capacity",
            "advocacy",
            "concluded_on",
        ],
        batch_size=500,
    )
