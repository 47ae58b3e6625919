"""Synthetic closed enquiries for the practice-quality tests, with every combination of answers."""

import datetime
import random

from cases.codes import AskedDesiredOutcomes, EnquiryKind, OutcomesAchieved, YesNoUnknown
from cases.models import CaseState
from cases.tests.factories import CaseFactory, EnquiryFactory
from msp.timezone import LONDON
from outcomes.models import Conversation, ConversationMode, Principle, PrincipleCheck, PrincipleRating


def closed_enquiry(team, concluded_on, **answers):
    """A closed case and its enquiry, closed (as a sign-off does) on `concluded_on`, London time."""
    closed_at = datetime.datetime.combine(concluded_on, datetime.time(23, 30), tzinfo=LONDON)
    case = CaseFactory(team=team, state=CaseState.CLOSED, closed_at=closed_at)
    return EnquiryFactory(
        case=case,
        kind=answers.pop("kind", EnquiryKind.S42),
        started_on=concluded_on - datetime.timedelta(days=20),
        concluded_on=concluded_on,
        **answers,
    )


def make_closed_enquiries(team, count, *, start, end, seed=1, imported_share=0.1):
    """`count` closed enquiries of `team`, closed between `start` and `end`, with random SAC answers,
    conversations and six-principle checks."""
    rng = random.Random(seed)
    span = (end - start).days
    made = []
    for _ in range(count):
        asked = rng.choice([*AskedDesiredOutcomes.values, ""])
        lacked = rng.choice([*YesNoUnknown.values, ""])
        enquiry = closed_enquiry(
            team,
            start + datetime.timedelta(days=rng.randint(0, span)),
            kind=rng.choice(EnquiryKind.values),
            asked_desired_outcomes=asked,
            outcomes_achieved=rng.choice([*OutcomesAchieved.values, ""])
            if asked == AskedDesiredOutcomes.ASKED_EXPRESSED
            else "",
            lacked_capacity=lacked,
            advocacy=rng.choice(YesNoUnknown.values) if lacked == YesNoUnknown.YES else "",
        )
        if rng.random() < imported_share:
            enquiry.case.imported = True
            enquiry.case.save(update_fields=["imported"])
        else:
            for _n in range(rng.randint(0, 3)):
                Conversation.objects.create(
                    case=enquiry.case,
                    held_on=enquiry.concluded_on - datetime.timedelta(days=rng.randint(1, 15)),
                    mode=ConversationMode.PHONE,
                    spoken_to_alone=rng.random() < 0.5,
                )
            for principle in rng.sample(list(Principle), rng.randint(0, 6)):
                PrincipleCheck.objects.create(
                    case=enquiry.case,
                    principle=principle,
                    evidence="Synthetic evidence.",
                    rating=rng.choice([*PrincipleRating.values, ""]),
                )
        made.append(enquiry)
    return made
