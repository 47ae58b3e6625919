"""The bell in the header (one query), the notifications page and mark read, the preference."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases import services as case_services
from cases.models import CaseState
from cases.tests.factories import CaseFactory, DecisionFactory
from notifications import services
from notifications.models import Kind, MailChoice, Notification, NotificationPreference
from outcomes.tests.factories import PlanActionFactory

pytestmark = pytest.mark.django_db


def _late_action(world):
    return PlanActionFactory(case=world.case, due_on=datetime.date(2020, 1, 6))


def test_the_bell_shows_the_unread_count_with_one_query(world, login, settings):
    _late_action(world)
    services.sweep()
    client = login(world.practitioner)
    client.get(reverse("accounts:home"))  # the session settles
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:list")).content.decode()
    assert 'href="/notifications/"' in page and '>1<span class="visually-hidden"> unread</span>' in page
    bell = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1 and "COUNT" in bell[0].upper()


def test_no_bell_and_no_query_when_signed_out(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:login")).content.decode()
    assert "/notifications/" not in page
    assert not [q for q in queries if "notifications_notification" in q["sql"]]


def test_the_page_lists_what_is_due_for_whom_and_why_with_links(world, login, django_capture_on_commit_callbacks):
    _late_action(world)
    decision = DecisionFactory(
        case=CaseFactory(team=world.team_a, state=CaseState.DECISION_PENDING), proposed_by=world.practitioner
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.return_decision(actor=world.manager, decision=decision, comments="Ask about her capacity.")
    services.sweep()
    page = login(world.practitioner).get(reverse("notifications:list")).content.decode()
    assert "Plan action past its date" in page and "(overdue)" in page
    assert f'href="/outcomes/case/{world.case.pk}/"' in page and world.case.ref in page
    assert "Decision returned to you" in page and "Ask about her capacity." in page  # the manager's comment
    assert f'href="/cases/{decision.case_id}/decision/"' in page
    assert AuditEvent.objects.filter(actor=world.practitioner, detail="notifications page").exists()
    manager_page = login(world.manager).get(reverse("notifications:list")).content.decode()
    assert "Escalated" in manager_page and "the work of" in manager_page
    assert "Ask about her capacity." not in manager_page


def test_mark_read_takes_an_item_off_the_count_and_ignores_other_peoples_ids(world, login):
    _late_action(world)
    services.sweep()
    mine = Notification.objects.get(user=world.practitioner)
    theirs = Notification.objects.get(user=world.manager)
    client = login(world.practitioner)
    response = client.post(reverse("notifications:mark_read"), {"ids": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    page = client.get(reverse("notifications:list")).content.decode()
    assert '>0<span class="visually-hidden"> unread</span>' in page and "Read</td>" in page
    assert client.post(reverse("notifications:mark_read"), {"ids": ["x"]}).status_code == 302
    assert Notification.objects.filter(read_at__isnull=False).count() == 1


def test_an_item_on_a_case_no_longer_in_scope_is_not_shown(world, login):
    _late_action(world)
    services.sweep()
    world.case.team = world.team_b
    world.case.save()
    page = login(world.practitioner).get(reverse("notifications:list")).content.decode()
    assert world.case.ref not in page and "Nothing is due for you." in page


def test_the_mail_preference_is_saved_and_audited(world, login):
    client = login(world.practitioner)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Overdue statutory timescales" in page
    response = client.post(reverse("notifications:preferences"), {"mail": MailChoice.NONE})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.practitioner).mail == MailChoice.NONE
    assert AuditEvent.objects.filter(actor=world.practitioner, detail="mail daily->none").exists()
    bad = client.post(reverse("notifications:preferences"), {"mail": "sometimes"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()


def test_the_kinds_of_today_each_link_to_their_record(world):
    from notifications.selectors import link_for

    for kind in Kind:
        row = Notification(kind=kind, case_id=world.case.pk, source_id=1)
        assert link_for(row).startswith("/")


@pytest.mark.parametrize("junk", [["x"], ["-1"], [str(2**70)], ["1.5"], [""]])
def test_mark_read_refuses_junk_ids_without_an_error_page(world, login, junk):
    _late_action(world)
    services.sweep()
    response = login(world.practitioner).post(reverse("notifications:mark_read"), {"ids": junk}, follow=True)
    assert response.status_code == 200 and "Choose notifications from the list." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_a_session_not_yet_through_two_factor_sees_no_bell_and_reads_no_count(world, settings, client):
    # A password alone reaches only the two-factor pages: the header must not say how much
    # work is due either, nor read it.
    settings.REQUIRE_2FA = True
    _late_action(world)
    services.sweep()
    client.force_login(world.practitioner)  # signed in by password, no authenticator verified
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:two_factor_missing")).content.decode()
    assert "masthead-bell" not in page
    assert not any("notifications_notification" in query["sql"] for query in queries.captured_queries)


def test_the_bell_counts_to_99_plus_and_the_page_shows_the_most_overdue_unread_first(world, login):
    from notifications.selectors import BELL_CAP, PAGE_SIZE, unread_count

    first = datetime.date(2026, 1, 1)
    Notification.objects.bulk_create(
        [
            Notification(
                user=world.practitioner, kind=Kind.PLAN_ACTION_DUE, source_type="outcomes.planaction", source_id=n,
                case=world.case, due_on=first + datetime.timedelta(days=n), why="A protection-plan action is due.",
            )
            for n in range(BELL_CAP + 50)
        ]
    )  # fmt: skip
    Notification.objects.filter(source_id=0).update(read_at=timezone.now())  # the oldest, read
    assert unread_count(world.practitioner) == BELL_CAP
    assert unread_count(world.practitioner, cap=None) == BELL_CAP + 49
    client = login(world.practitioner)
    page = client.get(reverse("cases:list")).content.decode()
    assert '>99+<span class="visually-hidden"> unread</span>' in page
    rows = client.get(reverse("notifications:list")).context["rows"]
    assert len(rows) == PAGE_SIZE and all(row.read_at is None for row in rows)
    assert [row.source_id for row in rows] == list(range(1, PAGE_SIZE + 1))  # most overdue first
