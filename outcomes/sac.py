"""The SAC answers of an enquiry, derived from its Making Safeguarding Personal records.

`derive_sac_answers()` is the one home of the derivation rules (design.md, "How the SAC
answers come from practice records"); `facts_for_case()` gathers the plain facts it needs, so
the rules can be tested for every combination without a database.
"""

from dataclasses import dataclass, field

from cases.codes import AskedDesiredOutcomes, OutcomesAchieved, YesNoUnknown

from .models import ADVOCACY_SUPPORT, AdvocacyKind, CapacityOutcome, OutcomesDiscussion


@dataclass(frozen=True)
class OutcomeResult:
    """One reviewed outcome: `adult_view` ("" when not recorded) and `practitioner_view`."""

    adult_view: str = ""
    practitioner_view: str = ""

    @property
    def effective(self):
        return self.adult_view or self.practitioner_view


@dataclass(frozen=True)
class EnquiryFacts:
    desired_outcomes: int = 0
    asked_none_expressed: bool = False
    dont_know_reason: str = ""
    reviews: tuple = ()  # OutcomeResult for each reviewed outcome
    capacity: tuple = ()  # CapacityOutcome of each assessment about the enquiry
    advocacy: tuple = ()  # AdvocacyKind of each advocacy record


@dataclass(frozen=True)
class SacAnswers:
    asked_desired_outcomes: str
    outcomes_achieved: str
    lacked_capacity: str
    advocacy: str
    asked_dont_know_reason: str = field(default="")

    def as_fields(self):
        return {
            "asked_desired_outcomes": self.asked_desired_outcomes,
            "asked_dont_know_reason": self.asked_dont_know_reason,
            "outcomes_achieved": self.outcomes_achieved,
            "lacked_capacity": self.lacked_capacity,
            "advocacy": self.advocacy,
        }


def derive_sac_answers(facts):
    """The enquiry-level SAC answers from its practice records.

    - asked: `asked_expressed` when any desired outcome was recorded; else `asked_not_expressed`
      when a conversation records the adult was asked and expressed none; else `dont_know` when
      the practitioner gave a reason why it is not known; else `not_asked`.
    - achieved (only when `asked_expressed`): each reviewed outcome counts in **the adult's view
      where it was recorded, otherwise the practitioner's view**; `fully` when every one was fully
      achieved, `not` when none was achieved at all, otherwise `partially`. With no reviewed
      outcome it is left blank (sending for closure requires a practitioner view for each).
    - lacked capacity: `yes` if any assessment about the enquiry found the person lacked
      capacity, `no` if they were assessed and found to have it, else `not_recorded`.
    - advocacy (only when lacked capacity is `yes`): `yes` if an advocate, family member or
      friend (or another advocate) supported the adult, `no` if the only records say none or
      declined, else `not_recorded`.

    The risk answers are not derived: each risk carries its own assessment outcome and result,
    recorded in the closure review (`cases.risks.set_outcomes`).
    """
    dont_know_reason = ""
    if facts.desired_outcomes:
        asked = AskedDesiredOutcomes.ASKED_EXPRESSED
    elif facts.asked_none_expressed:
        asked = AskedDesiredOutcomes.ASKED_NOT_EXPRESSED
    elif facts.dont_know_reason.strip():
        asked = AskedDesiredOutcomes.DONT_KNOW
        dont_know_reason = facts.dont_know_reason.strip()
    else:
        asked = AskedDesiredOutcomes.NOT_ASKED

    achieved = ""
    results = [r.effective for r in facts.reviews if r.effective]
    if asked == AskedDesiredOutcomes.ASKED_EXPRESSED and results:
        if all(r == OutcomesAchieved.FULLY for r in results):
            achieved = OutcomesAchieved.FULLY
        elif all(r == OutcomesAchieved.NOT for r in results):
            achieved = OutcomesAchieved.NOT
        else:
            achieved = OutcomesAchieved.PARTIALLY

    if CapacityOutcome.LACKS_CAPACITY in facts.capacity:
        lacked = YesNoUnknown.YES
    elif CapacityOutcome.HAS_CAPACITY in facts.capacity:
        lacked = YesNoUnknown.NO
    else:
        lacked = YesNoUnknown.NOT_RECORDED

    advocacy = ""
    if lacked == YesNoUnknown.YES:
        if any(kind in ADVOCACY_SUPPORT for kind in facts.advocacy):
            advocacy = YesNoUnknown.YES
        elif any(kind in (AdvocacyKind.NONE, AdvocacyKind.DECLINED) for kind in facts.advocacy):
            advocacy = YesNoUnknown.NO
        else:
            advocacy = YesNoUnknown.NOT_RECORDED

    return SacAnswers(
        asked_desired_outcomes=str(asked),
        asked_dont_know_reason=dont_know_reason,
        outcomes_achieved=str(achieved),
        lacked_capacity=str(lacked),
        advocacy=str(advocacy),
    )


def facts_for_case(case):
    """Gather the facts the derivation needs from a case's records (a handful of queries)."""
    from .models import Advocacy, CapacityAssessment, ClosureReview, Conversation, DesiredOutcome, OutcomeReview

    review = ClosureReview.objects.filter(case=case).first()
    return EnquiryFacts(
        desired_outcomes=DesiredOutcome.objects.filter(case=case).count(),
        asked_none_expressed=Conversation.objects.filter(
            case=case, outcomes_discussion=OutcomesDiscussion.NONE_EXPRESSED
        ).exists(),
        dont_know_reason=review.asked_dont_know_reason if review else "",
        reviews=tuple(
            OutcomeResult(adult_view=a, practitioner_view=p)
            for a, p in OutcomeReview.objects.filter(case=case).values_list("adult_view", "practitioner_view")
        ),
        capacity=tuple(
            CapacityAssessment.objects.filter(case=case, about_the_enquiry=True).values_list("outcome", flat=True)
        ),
        advocacy=tuple(Advocacy.objects.filter(case=case).values_list("kind", flat=True)),
    )
