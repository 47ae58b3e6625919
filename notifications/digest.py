"""Email about notifications: the daily digest and the immediate allocation mail.

A mail says how many items of each kind are due and links to the sign-in page: no names, no
case references, no NHS numbers, no case content (the sentinel test in
tests/test_digest_mail.py sends one through a real SMTP server and looks). The digest goes out
once a working day; its `Digest` row (unique per user and day) is claimed before the mail is
sent, so a second beat, or the task delivered twice, sends nothing more.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.working_days import is_working_day
from msp.locks import exclusive

from .models import STATUTORY_KINDS, Digest, Kind, MailChoice, Notification, NotificationPreference

logger = logging.getLogger(__name__)

DIGEST_LOCK = 0x5AD0_0000_0000_0002


def sign_in_url():
    return f"{settings.SITE_URL}{reverse('notifications:list')}"


def preferences(user_ids):
    chosen = dict(NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "mail"))
    return {user_id: chosen.get(user_id, MailChoice.DAILY) for user_id in user_ids}


def digest_counts(today):
    """{user id: {kind: [items, overdue]}} over every active user's current items (one grouped query)."""
    rows = (
        Notification.objects.filter(user__is_active=True)
        .values("user_id", "kind")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["user_id"], {})[row["kind"]] = [row["n"], row["overdue"]]
    return counts


def _for_preference(kinds, mail):
    """What a user's preference lets into the digest: everything, or (for "none") only the
    overdue statutory timescales, which cannot be switched off."""
    if mail != MailChoice.NONE:
        return kinds
    return {kind: [overdue, overdue] for kind, (_, overdue) in kinds.items() if kind in STATUTORY_KINDS and overdue}


def _lines(kinds):
    lines = []
    for kind in Kind:
        if kind.value in kinds:
            n, overdue = kinds[kind.value]
            lines.append({"label": kind.label, "n": n, "overdue": overdue})
    return lines


def _message(user, template, subject, context, connection):
    body = render_to_string(template, {**context, "url": sign_in_url()})
    return EmailMessage(subject, body, None, [user.email], connection=connection)


def send_digests(*, today=None):
    """Send today's digest to every active user with something due. Returns how many were
    sent, or None when it is not a working day or another run holds the lock."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return None
    with exclusive(DIGEST_LOCK) as acquired:
        if not acquired:
            logger.info("digest skipped: another digest run is going")
            return None
        counts = digest_counts(today)
        chosen = preferences(list(counts))
        users = User.objects.filter(pk__in=list(counts), is_active=True).exclude(email="").only("pk", "email")
        sent = 0
        connection = get_connection()
        for user in users.order_by("pk"):
            kinds = _for_preference(counts[user.pk], chosen[user.pk])
            if not kinds:
                continue
            try:
                with transaction.atomic():
                    claim = Digest.objects.create(user=user, day=today, counts=kinds)
            except IntegrityError:
                continue  # already sent (or being sent) today
            message = _message(
                user, "notifications/email/digest.txt", "MSP Safeguarding: what is due today",
                {"lines": _lines(kinds)}, connection,
            )  # fmt: skip
            try:
                message.send()
            except Exception as exc:  # smtplib, socket, TLS: give the claim back for the next run
                logger.warning("digest not sent: %s", type(exc).__name__)
                claim.delete()
                continue
            Digest.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
            sent += 1
        logger.info("digests sent: %s", sent)
        return sent


def queue_immediate(*, user_ids):
    """After the current transaction commits, mail the users who asked for allocations at once."""
    from msp.celery import send_after_commit

    send_after_commit(
        send_immediate_task, sorted(user_ids), on_failure=lambda: logger.warning("allocation mail not queued")
    )


@shared_task(name="notifications.send_immediate")
def send_immediate_task(user_ids):
    """The immediate allocation mail, as a task (user ids only); registered with the others
    through `notifications.tasks`."""
    return send_immediate(user_ids=user_ids)


def send_immediate(*, user_ids):
    """Mail each of `user_ids` who chose immediate mail about their allocations not yet mailed.
    The conditional update claims the rows, so a second delivery sends nothing."""
    wanted = [user_id for user_id, mail in preferences(user_ids).items() if mail == MailChoice.IMMEDIATE]
    sent = 0
    for user in User.objects.filter(pk__in=wanted, is_active=True).exclude(email=""):
        rows = Notification.objects.filter(user=user, kind=Kind.ALLOCATION, emailed_at__isnull=True)
        ids = list(rows.values_list("pk", flat=True))
        if not ids or not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        ):
            continue
        message = _message(
            user, "notifications/email/allocation.txt", "MSP Safeguarding: work allocated to you",
            {"n": len(ids)}, None,
        )  # fmt: skip
        try:
            message.send()
            sent += 1
        except Exception as exc:
            logger.warning("allocation mail not sent: %s", type(exc).__name__)
            Notification.objects.filter(pk__in=ids).update(emailed_at=None)
    return sent
