"""The daily digest through a real SMTP server (aiosmtpd): a count per kind and the sign-in
link, and none of the sentinel personal data the items are about; each digest once, however
many beats run the task; the user's preference, with overdue statutory timescales always sent."""

import datetime
import threading
from email import message_from_bytes, policy

import pytest
import time_machine
from django.db import connection

from cases.models import CaseState, Person
from cases.tests.factories import CaseFactory, PersonFactory
from msp.timezone import LONDON
from notifications import digest, services, tasks
from notifications.models import Digest, MailChoice, NotificationPreference
from outcomes.tests.factories import DeclinedSupportFactory, PlanActionFactory

pytestmark = pytest.mark.django_db

SENTINEL_NAME = "Zebedee Sentinelworth"
SENTINEL_NHS = "9434765919"
SENTINEL_TEXT = "SENTINEL-CASE-CONTENT-7731"
WORKING_DAY = datetime.datetime(2027, 1, 5, 7, 30, tzinfo=LONDON)  # a Tuesday


@pytest.fixture
def sentinel_work(world):
    """Due work on a case whose adult, reference and records carry sentinels."""
    person = PersonFactory(legal_name=SENTINEL_NAME, preferred_name="Zeb", nhs_number=SENTINEL_NHS)
    world.case.person = person
    world.case.ref = "SENTINEL-REF-0042"
    world.case.what_happened = SENTINEL_TEXT
    world.case.save()
    PlanActionFactory(case=world.case, due_on=datetime.date(2026, 12, 1), action=SENTINEL_TEXT)
    DeclinedSupportFactory(case=world.case, follow_up_on=datetime.date(2026, 12, 2), what_was_declined=SENTINEL_TEXT)
    concern = CaseFactory(
        team=world.team_a, state=CaseState.CONCERN, created_by=world.practitioner,
        decision_due=datetime.date(2026, 12, 3), person=person, what_happened=SENTINEL_TEXT,
    )  # fmt: skip
    world.practitioner.email = "pat@example.invalid"
    world.practitioner.save()
    return concern


def _messages(inbox):
    return [(rcpt, message_from_bytes(content, policy=policy.default)) for _, rcpt, content in inbox.messages]


def test_the_digest_reaches_a_real_smtp_server_with_counts_a_link_and_no_personal_data(
    world,
    sentinel_work,
    smtp_server,
):
    assert Person.objects.filter(nhs_number=SENTINEL_NHS).exists()
    with time_machine.travel(WORKING_DAY, tick=False):
        services.sweep()
        assert digest.send_digests() == 1
    ((rcpt, message),) = _messages(smtp_server)
    assert rcpt == ["pat@example.invalid"]
    body = message.get_content()
    raw = message.as_string()
    assert "- Plan action past its date: 1 (1 overdue)" in body
    assert "- Open-door follow-up due: 1 (1 overdue)" in body
    assert "- s42 decision due: 1 (1 overdue)" in body
    assert "https://safeguarding.example.org/notifications/" in body
    for sentinel in (SENTINEL_NAME, "Zebedee", "Sentinelworth", SENTINEL_NHS, SENTINEL_TEXT, "SENTINEL-REF", "Zeb "):
        assert sentinel not in raw
    for ref in (world.case.ref, sentinel_work.ref, world.team_a.name):
        assert ref not in raw
    assert Digest.objects.get(user=world.practitioner).sent_at is not None


def test_two_beats_running_the_digest_task_send_each_digest_once(world, sentinel_work, smtp_server):
    with time_machine.travel(WORKING_DAY, tick=False):
        tasks.send_digests.apply().get()
        tasks.send_digests.apply().get()  # the second beat's delivery of the same task
    assert len(smtp_server.messages) == 1
    assert Digest.objects.filter(user=world.practitioner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_the_same_moment_send_each_digest_once(world, sentinel_work, smtp_server):
    """Two runs at once, each in its own database connection (PostgreSQL: the advisory lock;
    on any database: the claimed Digest row)."""
    services.sweep(today=WORKING_DAY.date())
    barrier = threading.Barrier(2)
    results = []

    def beat():
        try:
            barrier.wait(5)
            results.append(digest.send_digests(today=WORKING_DAY.date()))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(smtp_server.messages) == 1
    assert sorted(results, key=str) in ([0, 1], [1, None])  # the other found the claim, or the lock
    assert Digest.objects.filter(user=world.practitioner).count() == 1


def test_no_digest_on_a_bank_holiday(world, sentinel_work, smtp_server):
    with time_machine.travel(datetime.datetime(2027, 1, 1, 7, 30, tzinfo=LONDON), tick=False):
        services.sweep()
        assert digest.send_digests() is None
    assert smtp_server.messages == []


def test_none_still_sends_the_overdue_statutory_timescales(world, sentinel_work, smtp_server):
    NotificationPreference.objects.create(user=world.practitioner, mail=MailChoice.NONE)
    with time_machine.travel(WORKING_DAY, tick=False):
        services.sweep()
        digest.send_digests()
    ((_, message),) = _messages(smtp_server)
    body = message.get_content()
    assert "- s42 decision due: 1 (1 overdue)" in body
    assert "Plan action" not in body and "follow-up" not in body


def test_none_with_nothing_statutory_sends_nothing(world, smtp_server):
    NotificationPreference.objects.create(user=world.practitioner, mail=MailChoice.NONE)
    world.practitioner.email = "pat@example.invalid"
    world.practitioner.save()
    PlanActionFactory(case=world.case, due_on=datetime.date(2026, 12, 1))
    with time_machine.travel(WORKING_DAY, tick=False):
        services.sweep()
        digest.send_digests()
    assert [rcpt for rcpt, _ in _messages(smtp_server)] == []


def test_immediate_allocation_mail_is_sent_once_and_holds_no_case_data(
    world,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    from cases import services as case_services

    world.colleague.email = "cole@example.invalid"
    world.colleague.save()
    NotificationPreference.objects.create(user=world.colleague, mail=MailChoice.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.allocate_enquiry(actor=world.manager, enquiry=world.enquiry, lead_practitioner=world.colleague)
    ((rcpt, message),) = _messages(smtp_server)
    assert rcpt == ["cole@example.invalid"]
    assert "An enquiry has been allocated to you" in message.get_content()
    assert world.case.ref not in message.as_string() and world.case.person.legal_name not in message.as_string()
    assert digest.send_immediate(user_ids=[world.colleague.pk]) == 0  # already mailed


def test_an_escalated_item_is_in_the_managers_digest(world, sentinel_work, smtp_server):
    world.manager.email = "mona@example.invalid"
    world.manager.save()
    with time_machine.travel(WORKING_DAY, tick=False):
        services.sweep()
        assert digest.send_digests() == 2
    by_rcpt = {rcpt[0]: message.get_content() for rcpt, message in _messages(smtp_server)}
    assert "- Plan action past its date: 1 (1 overdue)" in by_rcpt["mona@example.invalid"]
    assert SENTINEL_NAME not in by_rcpt["mona@example.invalid"]
