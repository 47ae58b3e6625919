"""Open-door follow-ups and overdue plan actions in work queues, and each case's last contact."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts import access
from cases.models import CaseAccessGrant
from cases.tests.factories import EnquiryFactory
from outcomes import selectors

from .factories import ConversationFactory, DeclinedSupportFactory, PlanActionFactory

TODAY = datetime.date(2026, 6, 10)


def _days(n):
    return TODAY + datetime.timedelta(days=n)


def test_open_door_follow_ups_due_and_not_done_appear_in_queues(world):
    due = DeclinedSupportFactory(case=world.case, follow_up_on=_days(0))
    overdue = DeclinedSupportFactory(case=world.case, follow_up_on=_days(-5))
    DeclinedSupportFactory(case=world.case, follow_up_on=_days(1))  # not yet due
    DeclinedSupportFactory(case=world.case, follow_up_on=_days(-1), follow_up_done_at=timezone.now())
    for user in (world.practitioner, world.colleague, world.manager, world.lead):
        assert list(selectors.open_door_followups_due(user, on=TODAY)) == [overdue, due]


def test_a_follow_up_marked_done_leaves_the_queue(world, login):
    declined = DeclinedSupportFactory(case=world.case, follow_up_on=_days(-1))
    login(world.practitioner).post(reverse("outcomes:followup_done", args=[declined.pk]))
    declined.refresh_from_db()
    assert declined.follow_up_done_by == world.practitioner
    assert list(selectors.open_door_followups_due(world.manager, on=TODAY)) == []


def test_out_of_scope_follow_ups_are_never_shown(world):
    DeclinedSupportFactory(case=world.case_b, follow_up_on=_days(-1))
    restricted = EnquiryFactory(case__team=world.team_a, case__restricted=True).case
    hidden = DeclinedSupportFactory(case=restricted, follow_up_on=_days(-1))
    for user in (world.practitioner, world.manager, world.sab_member, world.sysadmin):
        assert list(selectors.open_door_followups_due(user, on=TODAY)) == []
    CaseAccessGrant.objects.create(case=restricted, user=world.manager)
    assert list(selectors.open_door_followups_due(world.manager, on=TODAY)) == [hidden]
    assert len(selectors.open_door_followups_due(world.lead, on=TODAY)) == 1  # case_b; restricted needs a grant


def test_overdue_plan_actions_are_open_and_past_due_in_scope(world):
    overdue = PlanActionFactory(case=world.case, due_on=_days(-1))
    PlanActionFactory(case=world.case, due_on=_days(0))
    PlanActionFactory(case=world.case, due_on=_days(-3), status="done")
    PlanActionFactory(case=world.case, due_on=_days(-3), status="cancelled")
    other_team = PlanActionFactory(case=world.case_b, due_on=_days(-3))
    assert list(selectors.overdue_plan_actions(world.manager, on=TODAY)) == [overdue]
    assert list(selectors.overdue_plan_actions(world.outsider, on=TODAY)) == [other_team]
    assert list(selectors.overdue_plan_actions(world.sab_member, on=TODAY)) == []


def test_last_contact_by_case_gives_each_cases_latest_conversation(world):
    ConversationFactory(case=world.case, held_on=_days(-9))
    ConversationFactory(case=world.case, held_on=_days(-2))
    ConversationFactory(case=world.case_b, held_on=_days(-1))
    assert list(selectors.last_contact_by_case(world.practitioner)) == [
        {"case_id": world.case.pk, "last_contact": _days(-2)}
    ]
    from cases.access import case_scope
    from cases.models import Case

    annotated = Case.objects.filter(case_scope(world.lead)).annotate(last_contact=selectors.last_contact_subquery())
    assert {c.pk: c.last_contact for c in annotated} == {world.case.pk: _days(-2), world.case_b.pk: _days(-1)}


def test_queue_selectors_run_one_query_whatever_the_row_count(world, django_assert_num_queries):
    for n in range(30):
        DeclinedSupportFactory(case=world.case, follow_up_on=_days(-n))
        PlanActionFactory(case=world.case, due_on=_days(-n - 1))
        ConversationFactory(case=world.case, held_on=_days(-n))
    # Inside a request, as the pages call them: the manager's team memberships are read once
    # (accounts.access.member_team_ids), then each selector is one query.
    with access.request_teams():
        access.member_team_ids(world.manager)
        for selector in (selectors.open_door_followups_due, selectors.overdue_plan_actions):
            with django_assert_num_queries(1):
                rows = [
                    (r.case.person.display_name, r.case.team.name, r.case.enquiry.lead_practitioner)
                    for r in selector(world.manager, on=TODAY)
                ]
            assert len(rows) == 30
        with django_assert_num_queries(1):
            assert len(list(selectors.last_contact_by_case(world.manager))) == 1


def test_my_follow_ups_page_lists_the_users_own_due_follow_ups_and_overdue_actions(world, login):
    mine = DeclinedSupportFactory(case=world.case, follow_up_on=timezone.localdate() - datetime.timedelta(days=1))
    PlanActionFactory(
        case=world.case, action="Check the bank marker is on.", due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    body = login(world.practitioner).get(reverse("workspace:my_work")).content.decode()
    assert world.case.ref in body
    assert "Check the bank marker is on." in body
    assert reverse("outcomes:followup_done", args=[mine.pk]) in body
    other = login(world.colleague).get(reverse("workspace:my_work")).content.decode()
    assert world.case.ref not in other
