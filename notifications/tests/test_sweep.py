"""What is due, overdue and escalated, through working days and bank holidays (time-machine).

Christmas 2026: Friday 25 December and Monday 28 December (Boxing Day observed) are bank
holidays, and so is Friday 1 January 2027. A concern received on Thursday 24 December has its
s42 decision due two working days later, on Wednesday 30 December; with
ESCALATE_AFTER_WORKING_DAYS = 2 it reaches the team manager on Monday 4 January.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessGrantRequest, Role
from accounts.tests.factories import UserFactory
from cases import services as case_services
from cases.models import CaseAccessGrant, CaseState, Decision
from cases.tests.factories import CaseFactory, DecisionFactory
from cases.workflow import day
from cases.working_days import decision_due_date
from frontdoor.tests.factories import SubmissionFactory, front_door_team
from msp.timezone import LONDON
from notifications import services
from notifications.models import Kind, Notification
from notifications.selectors import link_for
from outcomes.models import ActionStatus
from outcomes.tests.factories import ConversationFactory, DeclinedSupportFactory, PlanActionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(day, hour=9):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def on(day):
    """Travel to 09:00 on `day` (London) and sweep."""
    traveller = time_machine.travel(_at(day), tick=False)
    traveller.start()
    services.sweep()
    return traveller


def items(user, kind=None):
    rows = Notification.objects.filter(user=user)
    return list(rows.filter(kind=kind) if kind else rows)


@pytest.fixture(autouse=True)
def _escalate_after_two(settings):
    settings.DECISION_DUE_WORKING_DAYS = 2
    settings.ESCALATE_AFTER_WORKING_DAYS = 2


@pytest.fixture
def concern(world):
    received = _at(D(2026, 12, 24), 10)
    return CaseFactory(
        team=world.team_a, state=CaseState.CONCERN, created_by=world.practitioner, received_at=received,
        decision_due=decision_due_date(received),
    )  # fmt: skip


def test_the_decision_is_due_over_christmas_overdue_after_it_and_escalated_after_new_year(world, concern):
    assert concern.decision_due == D(2026, 12, 30)

    traveller = on(D(2026, 12, 29))  # working day 1 (25, 26, 27 and 28 are not)
    assert items(world.practitioner, Kind.DECISION_DUE) == []
    traveller.stop()

    traveller = on(D(2026, 12, 30))  # due today
    (item,) = items(world.practitioner, Kind.DECISION_DUE)
    assert item.due_on == D(2026, 12, 30) and not item.overdue and item.case == concern
    traveller.stop()

    traveller = on(D(2026, 12, 31))  # overdue, one working day: not yet the manager's
    (item,) = items(world.practitioner, Kind.DECISION_DUE)
    assert item.overdue
    assert items(world.manager) == []
    traveller.stop()

    traveller = on(D(2027, 1, 1))  # a bank holiday: still one working day late
    assert items(world.manager) == []
    traveller.stop()

    traveller = on(D(2027, 1, 4))  # two working days late: escalated to the team's manager
    (escalated,) = items(world.manager, Kind.DECISION_DUE)
    assert escalated.escalated and escalated.about == world.practitioner and escalated.case == concern
    assert items(world.manager_b) == []  # another team's manager
    assert [n.escalated for n in items(world.practitioner)] == [False]
    traveller.stop()


def test_a_proposed_decision_moves_the_item_to_the_managers_who_sign_it_off(world, concern):
    traveller = on(D(2026, 12, 31))
    assert len(items(world.practitioner, Kind.DECISION_DUE)) == 1
    case_services.propose_decision(
        actor=world.practitioner, case=concern, decision_data=_decision_data(),
    )  # fmt: skip
    services.sweep()
    assert items(world.practitioner, Kind.DECISION_DUE) == []  # cleared itself
    (item,) = items(world.manager, Kind.DECISION_DUE)
    assert not item.escalated and "sign it off" in item.why
    traveller.stop()


def _decision_data():
    fields = [f.name for f in Decision._meta.fields]
    data = {
        "has_care_and_support_needs": True, "care_and_support_rationale": "Synthetic.",
        "experiencing_abuse_or_neglect": True, "abuse_or_neglect_rationale": "Synthetic.",
        "cannot_protect_self": True, "protect_self_rationale": "Synthetic.", "outcome": "s42",
    }  # fmt: skip
    assert set(data) <= set(fields)
    return data


def test_a_plan_action_is_due_after_its_date_and_clears_when_done(world):
    action = PlanActionFactory(case=world.case, due_on=D(2026, 12, 24), recorded_by=world.colleague)
    traveller = on(D(2026, 12, 24))
    assert items(world.practitioner) == []  # due today is not yet past its date
    traveller.stop()
    traveller = on(D(2026, 12, 29))
    (item,) = items(world.practitioner, Kind.PLAN_ACTION_DUE)  # the enquiry's lead, not the recorder
    assert item.overdue and items(world.colleague) == []
    assert items(world.manager) == []  # 29 Dec is the first working day after
    traveller.stop()
    traveller = on(D(2026, 12, 30))
    assert [n.escalated for n in items(world.manager, Kind.PLAN_ACTION_DUE)] == [True]
    action.status = ActionStatus.DONE
    action.save()
    services.sweep()
    assert Notification.objects.count() == 0  # the lead's and the manager's both cleared
    traveller.stop()


def test_an_open_door_follow_up_is_due_on_its_day_and_clears_when_done(world):
    followup = DeclinedSupportFactory(case=world.case, follow_up_on=D(2027, 1, 4), recorded_by=world.practitioner)
    traveller = on(D(2026, 12, 31))
    assert items(world.practitioner) == []
    traveller.stop()
    traveller = on(D(2027, 1, 4))
    (item,) = items(world.practitioner, Kind.FOLLOWUP_DUE)
    assert not item.overdue
    followup.follow_up_done_at = _at(D(2027, 1, 4), 11)
    followup.save()
    services.sweep()
    assert items(world.practitioner) == []
    traveller.stop()


def test_front_door_screening_goes_to_the_front_door_team(world):
    front_door_team(world.team_a)
    SubmissionFactory(screening_due=D(2026, 12, 29))
    traveller = on(D(2026, 12, 29))
    for user in (world.practitioner, world.colleague, world.manager):
        assert [n.kind for n in items(user)] == [Kind.SCREENING_DUE]
    assert items(world.outsider) == [] and items(world.lead) == []
    traveller.stop()


def test_a_grant_on_a_restricted_case_waits_for_a_lead_who_is_neither_party(world):
    other_lead = UserFactory(username="lena", role=Role.LEAD)
    request = AccessGrantRequest.objects.create(user=world.colleague, requested_by=other_lead, case=world.case)
    services.sweep()
    assert [n.kind for n in items(world.lead)] == [Kind.GRANT_REVIEW]
    assert items(other_lead) == []  # the requester
    request.outcome = "approved"
    request.save()
    services.sweep()
    assert items(world.lead) == []


def test_nobody_is_told_about_a_restricted_case_they_are_not_named_on(world):
    world.case.restricted = True
    world.case.save()
    PlanActionFactory(case=world.case, due_on=D(2020, 1, 6))
    services.sweep()
    assert items(world.practitioner) == []
    CaseAccessGrant.objects.create(case=world.case, user=world.practitioner)
    services.sweep()
    assert [n.kind for n in items(world.practitioner)] == [Kind.PLAN_ACTION_DUE]


def test_the_sweep_is_idempotent_and_keeps_the_read_flag(world):
    PlanActionFactory(case=world.case, due_on=D(2020, 1, 6))
    assert services.sweep() == {"added": 2, "removed": 0}  # the lead's, and the manager's escalation
    Notification.objects.filter(user=world.practitioner).update(read_at=_at(D(2020, 1, 7)))
    assert services.sweep() == {"added": 0, "removed": 0}
    assert Notification.objects.get(user=world.practitioner).read_at is not None


def test_allocation_is_raised_from_the_chronology_and_clears_at_the_first_conversation(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_services.allocate_enquiry(actor=world.manager, enquiry=world.enquiry, lead_practitioner=world.colleague)
    (item,) = items(world.colleague)
    assert item.kind == Kind.ALLOCATION and item.case == world.case
    assert items(world.practitioner, Kind.ALLOCATION) == []
    ConversationFactory(case=world.case, recorded_by=world.colleague)
    services.refresh_case(case_id=world.case.pk)
    assert items(world.colleague) == []


def test_a_returned_decision_reaches_its_proposer_until_a_new_one_is_proposed(
    world, django_capture_on_commit_callbacks
):
    decision = DecisionFactory(
        case=CaseFactory(team=world.team_a, state=CaseState.DECISION_PENDING), proposed_by=world.practitioner
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.return_decision(actor=world.manager, decision=decision, comments="Check the capacity notes.")
    (item,) = items(world.practitioner)
    assert item.kind == Kind.DECISION_RETURNED and item.source_id == decision.pk
    with django_capture_on_commit_callbacks(execute=True):
        case_services.propose_decision(actor=world.practitioner, case=decision.case, decision_data=_decision_data())
    assert items(world.practitioner, Kind.DECISION_RETURNED) == []


def test_screening_goes_to_the_leads_while_no_front_door_team_is_chosen(world):
    SubmissionFactory(screening_due=D(2026, 12, 29))
    services.sweep(today=D(2026, 12, 29))
    assert [n.kind for n in items(world.lead)] == [Kind.SCREENING_DUE]
    assert items(world.practitioner) == [] and items(world.manager) == []


def test_a_returned_closure_reaches_whoever_sent_it_until_it_is_sent_again(world, django_capture_on_commit_callbacks):
    from outcomes import services as outcome_services
    from outcomes.models import ClosureStatus
    from outcomes.tests.factories import ClosureReviewFactory

    review = ClosureReviewFactory(case=world.case, status=ClosureStatus.SENT, sent_by=world.colleague)
    world.case.state = CaseState.CLOSURE_PENDING
    world.case.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome_services.return_closure(case=world.case, manager=world.manager, ratings={}, comments="Ask her again.")
    (item,) = items(world.colleague)
    assert item.kind == Kind.CLOSURE_RETURNED and item.source_id == review.pk
    review.status = ClosureStatus.SENT
    review.save()
    world.case.state = CaseState.CLOSURE_PENDING
    world.case.save()
    services.refresh_case(case_id=world.case.pk)
    assert items(world.colleague) == []


def test_the_escalation_setting_is_read_each_sweep(world, settings):
    PlanActionFactory(case=world.case, due_on=D(2026, 12, 24))
    settings.ESCALATE_AFTER_WORKING_DAYS = 5  # 29, 30, 31 Dec, 4, 5 Jan
    services.sweep(today=D(2027, 1, 4))
    assert items(world.manager) == []
    services.sweep(today=D(2027, 1, 5))
    assert [n.escalated for n in items(world.manager)] == [True]


def test_a_bulk_allocation_is_one_refresh_after_the_commit(world, django_capture_on_commit_callbacks):
    from cases.tests.factories import EnquiryFactory
    from workspace import services as workspace_services

    waiting = [EnquiryFactory(case__team=world.team_a) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workspace_services.reallocate(
            actor=world.manager, case_ids=[e.case_id for e in waiting], to_user=world.colleague, reason=""
        )
    assert len([c for c in callbacks if getattr(c, "__self__", None).__class__.__name__ == "_Batch"]) == 1
    assert sorted(n.case_id for n in items(world.colleague, Kind.ALLOCATION)) == sorted(e.case_id for e in waiting)


def test_a_rolled_back_move_leaves_no_item_and_the_next_one_is_seen(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                case_services.allocate_enquiry(
                    actor=world.manager, enquiry=world.enquiry, lead_practitioner=world.colleague
                )
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert items(world.colleague) == []
    with django_capture_on_commit_callbacks(execute=True):
        case_services.allocate_enquiry(actor=world.manager, enquiry=world.enquiry, lead_practitioner=world.colleague)
    assert [n.kind for n in items(world.colleague)] == [Kind.ALLOCATION]


def test_a_signed_off_closure_reaches_whoever_sent_it_with_the_managers_comment(
    world, login, django_capture_on_commit_callbacks
):
    from outcomes import services as outcome_services
    from outcomes.models import ClosureStatus
    from outcomes.tests.factories import ClosureReviewFactory

    review = ClosureReviewFactory(case=world.case, status=ClosureStatus.SENT, sent_by=world.colleague)
    world.case.state = CaseState.CLOSURE_PENDING
    world.case.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome_services.sign_off_closure(
            case=world.case, manager=world.manager, ratings={}, comments="Good MSP practice; well done."
        )
    (item,) = items(world.colleague)
    assert item.kind == Kind.CLOSURE_SIGNED_OFF and item.source_id == review.pk
    page = login(world.colleague).get(reverse("notifications:list")).content.decode()
    assert "Closure signed off" in page and "Good MSP practice; well done." in page
    assert items(world.manager) == []  # the manager who signed it off is not told
    # On the list for a fortnight, then gone.
    signed_off = timezone.localdate()
    traveller = on(signed_off + datetime.timedelta(days=14))
    assert [n.kind for n in items(world.colleague)] == [Kind.CLOSURE_SIGNED_OFF]
    traveller.stop()
    traveller = on(signed_off + datetime.timedelta(days=15))
    assert items(world.colleague) == []
    traveller.stop()


def test_an_independent_feedback_call_is_due_for_the_named_reviewer_until_it_is_made(
    world, django_capture_on_commit_callbacks
):
    from feedback import services as feedback_services
    from feedback.forms import StaffQuestionnaireForm
    from feedback.models import Route
    from feedback.tests.factories import answered, closed_case, named

    closed = closed_case(world.team_a, days_ago=3)
    closed_case(world.team_a, days_ago=60)  # past the eight weeks: no call
    closed_case(world.team_a, days_ago=3, restricted=True)  # never to anyone outside its names
    named(world.outsider, world.team_a, by=world.lead)
    services.sweep()
    (item,) = items(world.outsider)
    assert (item.kind, item.source_id, item.case_id) == (Kind.FEEDBACK_CALL, closed.pk, None)
    assert item.due_on == closed.enquiry.concluded_on + datetime.timedelta(days=56)
    assert item.why == f"An independent feedback call is due by {day(item.due_on)}."
    assert items(world.practitioner, Kind.FEEDBACK_CALL) == []  # the team's own people never make it
    assert link_for(item) == reverse("feedback:follow_up", args=[closed.pk])
    form = StaffQuestionnaireForm(data=answered("yes"))
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.record_staff_response(
            case=closed, actor=world.outsider, route=Route.INDEPENDENT, data=form.cleaned_data
        )
    assert items(world.outsider) == []  # cleared at once, not at the next sweep
