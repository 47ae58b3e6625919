"""The sign-off queue, caseloads, My work, the filtered lists and their CSV export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from cases.models import DecisionStatus
from cases.tests.factories import DecisionFactory, EnquiryFactory
from outcomes.tests.factories import ConversationFactory
from workspace import selectors
from workspace.tests.workspace_data import add_workload, days_ago

pytestmark = pytest.mark.django_db


def test_the_queue_lists_decisions_and_closures_oldest_first_and_opens_the_review(world, login):
    old = DecisionFactory(
        case__team=world.team_a, proposed_by=world.colleague, proposed_at=timezone.now() - datetime.timedelta(days=3)
    )
    new = DecisionFactory(case__team=world.team_a, proposed_by=world.colleague)
    DecisionFactory(case__team=world.team_b, proposed_by=world.outsider)
    add_workload(world, 1)
    response = login(world.manager).get(reverse("workspace:queue"))
    decisions = list(response.context["decisions"])
    assert decisions[:2] == [old, new]
    assert all(d.case.team == world.team_a for d in decisions)
    assert len(response.context["closures"]) == 1
    body = response.content.decode()
    assert reverse("cases:decision_review", args=[old.case_id]) + "?next=queue" in body
    closing = response.context["closures"].object_list[0]
    assert reverse("outcomes:closure_sign_off", args=[closing.pk]) + "?next=queue" in body


def test_signing_off_from_the_queue_returns_to_the_queue(world, login):
    decision = DecisionFactory(case__team=world.team_a, proposed_by=world.colleague)
    url = reverse("cases:decision_review", args=[decision.case_id]) + "?next=queue"
    response = login(world.manager).post(url, {"action": "sign_off"})
    assert response["Location"] == reverse("workspace:queue")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED_OFF


def test_a_manager_cannot_sign_off_their_own_proposal_and_the_queue_says_so(world, login):
    DecisionFactory(case__team=world.team_a, proposed_by=world.manager)
    body = login(world.manager).get(reverse("workspace:queue")).content.decode()
    assert "You proposed this" in body


def test_caseload_counts_open_enquiries_oldest_and_overdue_items_per_practitioner(world, login):
    add_workload(world, 2)
    rows = {row["user"]: row for row in selectors.caseloads(user=world.manager)}
    pat = rows[world.practitioner]
    # world.enquiry, and per unit a closure-pending, a quiet and a busy enquiry.
    assert pat["open"] == 1 + 2 * 3
    assert pat["oldest"] == days_ago(90)
    assert pat["overdue_actions"] == 2 and pat["followups_due"] == 2
    assert rows[world.colleague]["open"] == 0
    assert world.outsider not in rows
    assert world.manager in rows  # managers can lead enquiries too
    page = login(world.manager).get(reverse("workspace:caseload")).content.decode()
    assert f"?practitioner={world.practitioner.pk}" in page


def test_my_work_shows_my_cases_contacts_due_overdue_items_and_returned_decisions(world, login):
    add_workload(world, 1)
    ConversationFactory(
        case=world.case, held_on=days_ago(3), next_contact_on=timezone.localdate() + datetime.timedelta(days=2)
    )
    returned = DecisionFactory(
        case__team=world.team_a,
        case__state="concern",
        proposed_by=world.practitioner,
        status=DecisionStatus.RETURNED,
        reviewed_by=world.manager,
        reviewed_at=timezone.now(),
    )
    others = EnquiryFactory(case__team=world.team_a, lead_practitioner=world.colleague)
    response = login(world.practitioner).get(reverse("workspace:my_work"))
    context = response.context
    mine = {c.pk for c in context["page"]}
    assert world.case.pk in mine and others.case_id not in mine
    assert world.case.pk in {c.case_id for c in context["contacts"]}
    assert [d.pk for d in context["returned"]] == [returned.pk]
    assert len(context["actions"]) == 1 and len(context["followups"]) == 1
    body = response.content.decode()
    assert reverse("cases:decision_propose", args=[returned.case_id]) in body
    colleague = login(world.colleague).get(reverse("workspace:my_work")).context
    assert world.case.pk not in {c.pk for c in colleague["page"]}
    assert not colleague["returned"]


def test_lists_filter_sort_and_keep_filters_in_the_url(world, login):
    for n in range(30):
        EnquiryFactory(case__team=world.team_a, case__received_at=timezone.now() - datetime.timedelta(days=n + 5))
    client = login(world.manager)
    first = client.get(reverse("workspace:cases"), {"attention": "unallocated"})
    rows = list(first.context["page"])
    assert len(rows) == 25 and first.context["page"].has_next
    assert rows[0].received_at < rows[-1].received_at  # oldest concern first
    assert "attention=unallocated&amp;page=2" in first.content.decode()
    second = client.get(reverse("workspace:cases"), {"attention": "unallocated", "page": 2})
    assert len(second.context["page"]) == 5
    newest = client.get(reverse("workspace:cases"), {"attention": "unallocated", "sort": "-received"})
    assert list(newest.context["page"])[0].received_at > rows[0].received_at
    assert "Download this list (CSV)" in first.content.decode()
    assert reverse("workspace:export") + "?attention=unallocated" in first.content.decode()


def test_the_list_records_a_search_audit_entry_with_filter_names_only(world, login):
    login(world.manager).get(reverse("workspace:cases"), {"attention": "unallocated", "team": world.team_a.pk})
    entry = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="cases.case").latest("at")
    assert entry.fields == ["attention", "team"]


def test_csv_export_is_row_level_filtered_streamed_uncached_and_audited(world, login):
    add_workload(world, 2)
    response = login(world.manager).get(reverse("workspace:export"), {"attention": "unallocated"})
    assert response.status_code == 200
    assert response.streaming
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Case reference",
        "Team",
        "Stage",
        "Received",
        "Decision due",
        "Enquiry started",
        "Lead practitioner",
    ]
    assert len(rows) == 1 + 2
    assert all(row[1] == "North Team" and row[2] == "Enquiry open" and row[6] == "" for row in rows[1:])
    body = "\n".join(",".join(r) for r in rows)
    assert "Testperson" not in body and "Tess" not in body  # no names of the adults
    entry = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == world.manager and entry.fields == ["attention"]


def test_csv_export_names_the_lead_practitioner_and_never_another_teams_cases(world, login):
    EnquiryFactory(case__team=world.team_b, lead_practitioner=world.outsider)
    response = login(world.manager).get(reverse("workspace:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == [world.case.ref]
    assert rows[1][6] == world.practitioner.display_name


@pytest.mark.parametrize("actor", ["sab_member", "practitioner", "sysadmin"])
def test_csv_export_is_for_managers_only(world, login, actor):
    assert login(world.user(actor)).get(reverse("workspace:export")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_csv_export_cells_never_start_a_formula(world, login):
    world.team_a.name = "=HYPERLINK(1)"
    world.team_a.save()
    response = login(world.manager).get(reverse("workspace:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"team": "a"},
        {"stage": "enquiry_open"},
        {"attention": "unallocated"},
        {"attention": "overdue_decision"},
        {"attention": "no_contact"},
        {"practitioner": "p"},
        {"stage": "not-a-stage"},  # an invalid filter: still open cases only
    ],
)
def test_the_workspace_list_never_shows_a_closed_case_whatever_the_filter(world, login, params):
    """The open-stages filter is left out where a stage or attention filter names open states
    itself (one predicate on the state for the planner): a closed case must still never show."""
    from cases.models import Case, CaseState

    add_workload(world, 1)
    closed = EnquiryFactory(case__team=world.team_a, lead_practitioner=world.practitioner, started_on=days_ago(90))
    Case.objects.filter(pk=closed.case_id).update(state=CaseState.CLOSED, decision_due=days_ago(5))
    query = {
        name: {"a": world.team_a.pk, "p": world.practitioner.pk}.get(value, value) for name, value in params.items()
    }
    response = login(world.manager).get(reverse("workspace:cases"), query)
    assert response.status_code in (200, 400)
    refs = [row.ref for row in response.context["page"].object_list]
    assert closed.case.ref not in refs
    export = login(world.manager).get(reverse("workspace:export"), query)
    if export.status_code == 200:
        assert closed.case.ref not in b"".join(export.streaming_content).decode()
