"""Demo Safeguarding Adults Reviews: a handful across the last two financial years, some with a
death and some without, recommendations in every status, and one review still under way
(`settings.DEMO_DATA_EXTENSIONS`). Every person is invented; the names are plainly made up."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.models import CaseState

from .models import Decision, Harm, Recommendation, RecommendationStatus, SafeguardingAdultsReview, SarPerson

#: (months before today it concluded or None, criteria, decision, [(name, harm)], [recommendation statuses])
REVIEWS = (
    (22, "s44_1", Decision.PROCEED, [("Demo Adult Amberley", Harm.DIED)], ["completed", "completed", "in_progress"]),
    (18, "s44_1", Decision.PROCEED, [("Demo Adult Brackwood", Harm.SURVIVED)], ["completed", "in_progress"]),
    (15, "s44_4", Decision.PROCEED, [("Demo Adult Cressing", Harm.SURVIVED), ("Demo Adult Dunmore", Harm.SURVIVED)],
     ["completed", "not_started"]),
    (9, "s44_1", Decision.PROCEED, [("Demo Adult Elsworth", Harm.DIED), ("Demo Adult Farrow", Harm.SURVIVED)],
     ["in_progress", "not_started", "completed"]),
    (5, "s44_1", Decision.PROCEED, [("Demo Adult Galloway", Harm.DIED)], ["not_started", "in_progress"]),
    (None, "s44_1", Decision.PROCEED, [("Demo Adult Harwood", Harm.DIED)], []),
    (None, "s44_4", Decision.NOT_PROCEED, [("Demo Adult Ivel", Harm.SURVIVED)], []),
)  # fmt: skip

FINDINGS = (
    ("Agencies each held part of the picture and nobody joined it up.",
     "Agree a multi-agency risk panel for adults who decline support."),
    ("Escalation between the hospital and adult social care was unclear.",
     "Publish one escalation route between the trust and the council."),
    ("Carers' own needs were not assessed.", "Offer a carer's assessment at every safeguarding enquiry."),
)  # fmt: skip
OWNERS = ("Board business manager", "Integrated Care Board", "Adult social care", "Police public protection unit")


def _months_before(day, months):
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, min(day.day, 28))


@transaction.atomic
def add_demo_reviews(case_ids_by_state, rng, stdout):
    lead = User.objects.filter(role=Role.LEAD).order_by("pk").first()
    if lead is None or SafeguardingAdultsReview.objects.exists():
        return
    today = timezone.localdate()
    closed = list(case_ids_by_state.get(CaseState.CLOSED, []))
    people = recommendations = 0
    for months, criteria, decision, persons, statuses in REVIEWS:
        concluded = _months_before(today, months) if months is not None else None
        referred = _months_before(concluded or today, 10 if concluded else 3)
        decided = referred + datetime.timedelta(days=28)
        proceeding = decision == Decision.PROCEED
        review = SafeguardingAdultsReview.objects.create(
            referred_on=referred, criteria=criteria, decision=decision, decided_on=decided,
            reviewer="Independent reviewer (demo)" if proceeding else "",
            scoping_on=decided + datetime.timedelta(days=21) if proceeding else None,
            panel_on=decided + datetime.timedelta(days=60) if proceeding and concluded else None,
            report_drafted_on=concluded - datetime.timedelta(days=45) if concluded else None,
            report_published_on=concluded - datetime.timedelta(days=7) if concluded else None,
            concluded_on=concluded, created_by=lead,
        )  # fmt: skip
        for name, harm in persons:
            case_id = closed.pop(rng.randrange(len(closed))) if closed and rng.random() < 0.5 else None
            SarPerson.objects.create(review=review, name=name, harm=harm, case_id=case_id, added_by=lead)
            people += 1
        for index, status in enumerate(statuses):
            finding, text = FINDINGS[(index + review.pk) % len(FINDINGS)]
            done = status == RecommendationStatus.COMPLETED
            Recommendation.objects.create(
                review=review, finding=finding, text=text, owner=OWNERS[(index + review.pk) % len(OWNERS)],
                status=status, completed_on=min(today, concluded + datetime.timedelta(days=60)) if done else None,
                added_by=lead,
            )  # fmt: skip
            recommendations += 1
    stdout.write(
        f"Demo Safeguarding Adults Reviews: {len(REVIEWS)} reviews, {people} people, {recommendations} recommendations."
    )
