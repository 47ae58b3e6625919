"""Test data for the managers' workspace: `add_workload(world, n)` adds `n` of every kind of item
each dashboard figure counts, in team A (and one of each in team B)."""

import datetime

from django.utils import timezone

from cases.models import CaseState
from cases.tests.factories import CaseFactory, DecisionFactory, EnquiryFactory
from outcomes.models import ClosureStatus
from outcomes.tests.factories import (
    ClosureReviewFactory,
    ConversationFactory,
    DeclinedSupportFactory,
    PlanActionFactory,
)


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def add_workload(world, n, team=None, lead=None):
    """Per unit: an unallocated enquiry, a decision awaiting sign-off (proposed by `colleague`),
    a closure awaiting sign-off, an overdue decision, an allocated enquiry with no contact for
    60 days plus an overdue plan action and a due follow-up, and one with a recent contact."""
    team = team or world.team_a
    lead = lead or world.practitioner
    for _ in range(n):
        EnquiryFactory(case__team=team, started_on=days_ago(3))
        DecisionFactory(case__team=team, proposed_by=world.colleague)
        closing = EnquiryFactory(case__team=team, case__state=CaseState.CLOSURE_PENDING, lead_practitioner=lead)
        ClosureReviewFactory(
            case=closing.case, status=ClosureStatus.SENT, sent_by=lead, sent_at=timezone.now(), recorded_by=lead
        )
        CaseFactory(team=team, decision_due=days_ago(2))
        quiet = EnquiryFactory(case__team=team, lead_practitioner=lead, started_on=days_ago(90))
        ConversationFactory(case=quiet.case, held_on=days_ago(60), next_contact_on=days_ago(1), recorded_by=lead)
        PlanActionFactory(case=quiet.case, due_on=days_ago(5), recorded_by=lead)
        DeclinedSupportFactory(case=quiet.case, follow_up_on=days_ago(1), recorded_by=lead)
        busy = EnquiryFactory(case__team=team, lead_practitioner=lead, started_on=days_ago(90))
        ConversationFactory(case=busy.case, held_on=days_ago(2), recorded_by=lead)
