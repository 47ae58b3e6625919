"""Where each kind of item comes from: one function per kind, reading the records' own state.

Each source returns `Item`s for today: who should see the item, about which record, due when
and why (fixed words, no case content). The sweep (`services.sweep`) makes the table match
what they return, so an item clears itself once its record no longer qualifies (the follow-up
done, the action closed, the decision proposed again). The due rules are the work queues'
own (`workspace.selectors`, `outcomes.selectors`, `frontdoor`), not copies of them.

Adding a kind (as the caused-enquiry report of issue 16 did): add it to `models.Kind`, write a source
here returning its items, and list it in SOURCES (with `team` set so that escalation finds the
team's managers). docs/notifications.md says more.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import AccessGrantRequest, GrantOutcome, Role, TeamMembership, User
from cases.models import ENQUIRY_STATES, Case, CaseState, Decision, Enquiry
from cases.workflow import day
from frontdoor.models import FrontDoorSetting, Submission
from outcomes import selectors as outcome_selectors
from outcomes.models import ClosureReview, ClosureStatus, Conversation
from workspace.selectors import RETURNED_DECISION_Q, overdue_decision_q

from .models import Kind


@dataclass(frozen=True)
class Item:
    user_id: int
    kind: str
    source_type: str
    source_id: int
    why: str
    case_id: int | None = None
    team_id: int | None = None
    due_on: datetime.date | None = None

    @property
    def key(self):
        return (self.user_id, self.kind, self.source_type, self.source_id)


def _cases(queryset, case_ids, field="case_id"):
    return queryset if case_ids is None else queryset.filter(**{f"{field}__in": case_ids})


def allocations(today, case_ids=None):
    """Enquiries allocated to their lead, until the lead records a conversation on the case
    (or the enquiry moves to someone else, or ends)."""
    since = Conversation.objects.filter(case_id=OuterRef("case_id"), recorded_at__gte=OuterRef("allocated_at"))
    enquiries = Enquiry.objects.filter(
        concluded_on__isnull=True,
        case__state__in=ENQUIRY_STATES,
        lead_practitioner__isnull=False,
        allocated_at__isnull=False,
    ).exclude(Exists(since))
    for case_id, team_id, lead_id, allocated_at in _cases(enquiries, case_ids).values_list(
        "case_id", "case__team_id", "lead_practitioner_id", "allocated_at"
    ):
        on = timezone.localdate(allocated_at)
        yield Item(
            lead_id, Kind.ALLOCATION, "cases.enquiry", case_id, f"The enquiry was allocated to you on {day(on)}.",
            case_id=case_id, team_id=team_id,
        )  # fmt: skip


def returned_decisions(today, case_ids=None):
    """The latest decision on a case back at the concern stage, returned to its proposer."""
    later = Decision.objects.filter(case_id=OuterRef("case_id"), proposed_at__gt=OuterRef("proposed_at"))
    decisions = Decision.objects.filter(RETURNED_DECISION_Q, proposed_by__isnull=False).exclude(Exists(later))
    for pk, case_id, team_id, user_id in _cases(decisions, case_ids).values_list(
        "pk", "case_id", "case__team_id", "proposed_by_id"
    ):
        yield Item(
            user_id, Kind.DECISION_RETURNED, "cases.decision", pk,
            "Your proposed s42 decision was returned with the manager's comment.", case_id=case_id, team_id=team_id,
        )  # fmt: skip


def returned_closures(today, case_ids=None):
    """A closure returned by a manager, on an enquiry open again, to whoever sent it."""
    reviews = ClosureReview.objects.filter(status=ClosureStatus.RETURNED, case__state=CaseState.ENQUIRY_OPEN)
    for pk, case_id, team_id, sent_by, lead in _cases(reviews, case_ids).values_list(
        "pk", "case_id", "case__team_id", "sent_by_id", "case__enquiry__lead_practitioner_id"
    ):
        if sent_by or lead:
            yield Item(
                sent_by or lead, Kind.CLOSURE_RETURNED, "outcomes.closurereview", pk,
                "The closure was returned to you with the manager's comment.", case_id=case_id, team_id=team_id,
            )  # fmt: skip


#: How long a signed-off closure stays on the practitioner's list (read or not): long enough to
#: see the manager's comment after a few days away.
SIGNED_OFF_SHOWN_DAYS = 14


def signed_off_closures(today, case_ids=None):
    """A closure signed off in the last SIGNED_OFF_SHOWN_DAYS days, to whoever sent it: the
    manager's comment (shown on the page from the record) reaches the practitioner."""
    since = today - datetime.timedelta(days=SIGNED_OFF_SHOWN_DAYS)
    reviews = ClosureReview.objects.filter(
        status=ClosureStatus.SIGNED_OFF, case__state=CaseState.CLOSED, signed_off_at__date__gte=since
    )
    for pk, case_id, sent_by, lead, signed_off_by in _cases(reviews, case_ids).values_list(
        "pk", "case_id", "sent_by_id", "case__enquiry__lead_practitioner_id", "signed_off_by_id"
    ):
        recipient = sent_by or lead
        if recipient and recipient != signed_off_by:
            yield Item(
                recipient, Kind.CLOSURE_SIGNED_OFF, "outcomes.closurereview", pk,
                "The closure you sent was signed off; the enquiry is concluded.", case_id=case_id,
            )  # fmt: skip


def _team_members(team_ids, roles):
    members = {}
    rows = TeamMembership.objects.filter(team_id__in=team_ids, user__is_active=True, user__role__in=roles)
    for team_id, user_id in rows.values_list("team_id", "user_id"):
        members.setdefault(team_id, []).append(user_id)
    return members


def decisions_due(today, case_ids=None):
    """s42 decisions due today or overdue (DECISION_DUE_WORKING_DAYS, `cases.working_days`): to
    whoever recorded the concern while it waits for a proposal, to the team's managers while it
    waits for their sign-off."""
    due = Case.objects.filter(overdue_decision_q(today + datetime.timedelta(days=1)))  # due on or before today
    rows = list(_cases(due, case_ids, "pk").values_list("pk", "team_id", "state", "decision_due", "created_by_id"))
    managers = _team_members({row[1] for row in rows}, [Role.MANAGER])
    for pk, team_id, state, due_on, created_by in rows:
        if state == CaseState.CONCERN and created_by:
            recipients, why = [created_by], f"The s42 decision is due by {day(due_on)}: propose it."
        else:
            recipients, why = managers.get(team_id, []), f"The s42 decision is due by {day(due_on)}: sign it off."
        for user_id in recipients:
            yield Item(user_id, Kind.DECISION_DUE, "cases.case", pk, why, case_id=pk, team_id=team_id, due_on=due_on)


def screenings_due(today, case_ids=None):
    """Concerns raised online awaiting screening on or after their screening date, to the front
    door team's practitioners and managers, or the leads while no team is chosen
    (FRONT_DOOR_SCREENING_WORKING_DAYS)."""
    if case_ids is not None:
        return
    team_id = FrontDoorSetting.objects.values_list("team_id", flat=True).first()
    if team_id is None:  # no front door team chosen yet: the leads screen (frontdoor.access)
        screeners = list(User.objects.filter(is_active=True, role=Role.LEAD).values_list("pk", flat=True))
    else:
        screeners = _team_members([team_id], [Role.PRACTITIONER, Role.MANAGER]).get(team_id, [])
    submissions = Submission.objects.awaiting_screening().filter(screening_due__lte=today)
    for pk, due_on in submissions.values_list("pk", "screening_due"):
        for user_id in screeners:
            yield Item(
                user_id, Kind.SCREENING_DUE, "frontdoor.submission", pk,
                f"A concern raised online is to be screened by {day(due_on)}.", team_id=team_id, due_on=due_on,
            )  # fmt: skip


def _enquiry_records(queryset, case_ids, date_field):
    rows = _cases(queryset, case_ids).values_list(
        "pk", "case_id", "case__team_id", date_field, "case__enquiry__lead_practitioner_id", "recorded_by_id"
    )
    for pk, case_id, team_id, due_on, lead, recorded_by in rows:
        if lead or recorded_by:
            yield pk, case_id, team_id, due_on, lead or recorded_by


def followups_due(today, case_ids=None):
    """Open-door follow-ups (declined support) due today or before, not done: a promise to the adult."""
    records = outcome_selectors.followups_due(today)
    for pk, case_id, team_id, due_on, user_id in _enquiry_records(records, case_ids, "follow_up_on"):
        yield Item(
            user_id, Kind.FOLLOWUP_DUE, "outcomes.declinedsupport", pk,
            f"The open-door follow-up with the adult is due on {day(due_on)}.",
            case_id=case_id, team_id=team_id, due_on=due_on,
        )  # fmt: skip


def plan_actions_due(today, case_ids=None):
    """Open protection-plan actions past their due date."""
    records = outcome_selectors.plan_actions_overdue(today)
    for pk, case_id, team_id, due_on, user_id in _enquiry_records(records, case_ids, "due_on"):
        yield Item(
            user_id, Kind.PLAN_ACTION_DUE, "outcomes.planaction", pk,
            f"A protection-plan action was due on {day(due_on)} and is still open.",
            case_id=case_id, team_id=team_id, due_on=due_on,
        )  # fmt: skip


def grant_reviews(today, case_ids=None):
    """Requests to name a user on a restricted case, waiting for a safeguarding lead (any lead
    but the requester and the user named: `accounts.services.check_may_grant`)."""
    pending = AccessGrantRequest.objects.filter(outcome=GrantOutcome.PENDING, case__isnull=False)
    rows = list(_cases(pending, case_ids).values_list("pk", "case_id", "requested_at", "requested_by_id", "user_id"))
    if not rows:
        return
    leads = list(User.objects.filter(is_active=True, role=Role.LEAD).values_list("pk", flat=True))
    for pk, case_id, requested_at, requested_by, named in rows:
        for user_id in leads:
            if user_id not in (requested_by, named):
                yield Item(
                    user_id, Kind.GRANT_REVIEW, "accounts.accessgrantrequest", pk,
                    "A request to name a user on a restricted case waits for a lead's decision.", case_id=case_id,
                    due_on=requested_at.date(),
                )  # fmt: skip


def feedback_calls(today, case_ids=None):
    """Independent feedback calls (issue 15): each closed enquiry in a named reviewer's "feedback
    due" queue, due by the end of its follow-up window (`feedback.selectors`). The reviewer is
    outside the case's team and sees nothing of the case but the queue, so the item names no
    case (`case` empty): its link opens the queue's own page for it."""
    from feedback import selectors as feedback_selectors

    reviewers = {}
    for team_id, user_id in feedback_selectors.reviewer_pairs():
        reviewers.setdefault(team_id, []).append(user_id)
    if not reviewers:
        return
    due = _cases(feedback_selectors.awaiting_follow_up(today).filter(team_id__in=list(reviewers)), case_ids, "pk")
    for pk, team_id, closed_on in due.values_list("pk", "team_id", "enquiry__concluded_on"):
        due_on = feedback_selectors.due_by(closed_on)
        for user_id in reviewers[team_id]:
            yield Item(
                user_id, Kind.FEEDBACK_CALL, "cases.case", pk,
                f"An independent feedback call is due by {day(due_on)}.", due_on=due_on,
            )  # fmt: skip


def caused_enquiry_reports(today, case_ids=None):
    """Reports from partner organisations asked to make enquiries (s42(2)), due today or overdue
    and not yet received (`partnership.selectors.reports_due`), to the enquiry's lead (else whoever
    asked). Clears itself when the report is recorded."""
    from partnership import selectors as partnership_selectors

    rows = _cases(partnership_selectors.reports_due(today), case_ids).values_list(
        "pk", "case_id", "case__team_id", "due_on", "case__enquiry__lead_practitioner_id", "requested_by_id"
    )
    for pk, case_id, team_id, due_on, lead, requested_by in rows:
        if lead or requested_by:
            yield Item(
                lead or requested_by, Kind.CAUSED_ENQUIRY_REPORT, "partnership.causedenquiry", pk,
                f"A partner organisation's enquiry report is due by {day(due_on)} and not yet received.",
                case_id=case_id, team_id=team_id, due_on=due_on,
            )  # fmt: skip


#: Every source, in the order the page groups them.
SOURCES = {
    Kind.ALLOCATION: allocations,
    Kind.DECISION_RETURNED: returned_decisions,
    Kind.CLOSURE_RETURNED: returned_closures,
    Kind.CLOSURE_SIGNED_OFF: signed_off_closures,
    Kind.DECISION_DUE: decisions_due,
    Kind.SCREENING_DUE: screenings_due,
    Kind.FOLLOWUP_DUE: followups_due,
    Kind.PLAN_ACTION_DUE: plan_actions_due,
    Kind.GRANT_REVIEW: grant_reviews,
    Kind.FEEDBACK_CALL: feedback_calls,
    Kind.CAUSED_ENQUIRY_REPORT: caused_enquiry_reports,
}

#: Kinds whose items are about one case's own work (the chronology receiver refreshes only
#: those; a screening is not yet a case, a grant review is a lead's decision about the grant).
CASE_KINDS = tuple(kind for kind in SOURCES if kind not in (Kind.SCREENING_DUE, Kind.GRANT_REVIEW))


def restricted_case_readers(case_ids, chunk=5000):
    """{case id: ids of users named on it} for the restricted cases among `case_ids` (looked up
    by primary key, a few thousand at a time)."""
    from cases.models import CaseAccessGrant

    case_ids = sorted(case_ids)
    named = {}
    for start in range(0, len(case_ids), chunk):
        part = Case.objects.filter(pk__in=case_ids[start : start + chunk], restricted=True)
        named.update({case_id: set() for case_id in part.values_list("pk", flat=True)})
    for case_id, user_id in CaseAccessGrant.objects.filter(case_id__in=list(named)).values_list("case_id", "user_id"):
        named[case_id].add(user_id)
    return named
