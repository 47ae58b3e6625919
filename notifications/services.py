"""Writes of the notifications app: the sweep that makes every user's items match the records,
the per-case refresh the chronology triggers, escalation, and marking items read.

`sweep()` is idempotent: run twice (two beats) it leaves the same rows. The table is brought
to what `sources.SOURCES` say is due today: missing rows are added (a second sweep's inserts
of the same rows are ignored by the unique constraint), changed ones updated, and rows whose
record no longer qualifies are deleted: an item clears itself when the work is done. A row's
read flag survives as long as the item does.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import audit
from accounts.models import Role
from cases.working_days import add_working_days
from msp.locks import exclusive

from . import sources
from .models import Kind, Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Advisory-lock keys of the scheduled work (PostgreSQL), beside the report runs' namespaces.
SWEEP_LOCK = 0x5AD0_0000_0000_0001


def escalation_due(due_on, today):
    """Whether an item due on `due_on` is overdue by ESCALATE_AFTER_WORKING_DAYS working days."""
    return due_on is not None and add_working_days(due_on, settings.ESCALATE_AFTER_WORKING_DAYS) <= today


def _escalations(items, today):
    """The same items, overdue long enough, for the managers of the case's team (never the item's
    own recipient, and never a second copy for a manager who has it already)."""
    late = [item for item in items if item.team_id and escalation_due(item.due_on, today)]
    if not late:
        return []
    managers = sources._team_members({item.team_id for item in late}, [Role.MANAGER])
    direct = {item.key for item in items}
    escalated = {}
    for item in late:
        for manager in managers.get(item.team_id, []):
            key = (manager, item.kind, item.source_type, item.source_id)
            if manager == item.user_id or key in direct or key in escalated:
                continue
            escalated[key] = (
                sources.Item(
                    manager, item.kind, item.source_type, item.source_id,
                    f"Escalated: overdue by {settings.ESCALATE_AFTER_WORKING_DAYS} working days or more. {item.why}",
                    case_id=item.case_id, team_id=item.team_id, due_on=item.due_on,
                ),
                item.user_id,
            )  # fmt: skip
    return list(escalated.values())


def _in_scope(items, named):
    """Drop items on a restricted case for users not named on it (`named`: case id -> the users
    named; a grant review goes to leads, who decide on the grant without reading the case)."""
    return [
        item
        for item in items
        if item.kind == Kind.GRANT_REVIEW or item.case_id not in named or item.user_id in named[item.case_id]
    ]


def desired(today, kinds=None, case_ids=None):
    """{key: (Item, escalated, about user id)} for everything due today."""
    items = []
    for kind, source in sources.SOURCES.items():
        if kinds is None or kind in kinds:
            items.extend(source(today, case_ids))
    # One lookup of the restricted cases' named users serves the items and their escalations
    # (an escalation is about an item's case, already among these).
    named = sources.restricted_case_readers({item.case_id for item in items if item.case_id})
    items = _in_scope(items, named)
    wanted = {item.key: (item, False, None) for item in items}
    escalations = _escalations(items, today)
    kept = {id(item) for item in _in_scope([item for item, _ in escalations], named)}
    for item, about in escalations:
        if id(item) in kept:
            wanted[item.key] = (item, True, about)
    return wanted


def _sync(wanted, existing):
    """Make `existing` (a Notification queryset) hold exactly `wanted`. Returns (added, removed)."""
    now = timezone.now()
    have = {(row.user_id, row.kind, row.source_type, row.source_id): row for row in existing}
    stale = [row.pk for key, row in have.items() if key not in wanted]
    changed, new = [], []
    for key, (item, escalated, about) in wanted.items():
        row = have.get(key)
        fields = {
            "case_id": item.case_id, "due_on": item.due_on, "why": item.why[:200], "escalated": escalated,
            "about_id": about,
        }  # fmt: skip
        if row is None:
            new.append(
                Notification(
                    user_id=item.user_id, kind=item.kind, source_type=item.source_type, source_id=item.source_id,
                    created_at=now, **fields,
                )
            )  # fmt: skip
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    with transaction.atomic():
        Notification.objects.filter(pk__in=stale).delete()
        Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        Notification.objects.bulk_update(changed, ["case", "due_on", "why", "escalated", "about"], batch_size=1000)
    return new, stale


def sweep(*, today=None):
    """Bring every user's items up to date. Returns {"added", "removed"} counts, or None when
    another sweep holds the lock (a second beat): that one is doing the work."""
    today = today or timezone.localdate()
    with exclusive(SWEEP_LOCK) as acquired:
        if not acquired:
            logger.info("reminders sweep skipped: another sweep is running")
            return None
        new, stale = _sync(desired(today), Notification.objects.all())
    _send_immediate(new)
    logger.info("reminders sweep: %s added, %s removed", len(new), len(stale))
    return {"added": len(new), "removed": len(stale)}


def refresh_cases(*, case_ids, today=None):
    """Refresh these cases' items at once (the chronology receiver calls this when cases move:
    allocated, a decision or closure returned or signed off, a follow-up or action done)."""
    if not case_ids:
        return
    today = today or timezone.localdate()
    kinds = set(sources.CASE_KINDS)
    # A feedback call names no case (its reviewer is outside the team): found by its source.
    existing = Notification.objects.filter(
        Q(case_id__in=case_ids, kind__in=kinds) | Q(kind=Kind.FEEDBACK_CALL, source_id__in=case_ids)
    )
    new, _ = _sync(desired(today, kinds=kinds, case_ids=case_ids), existing)
    _send_immediate(new)


def refresh_case(*, case_id, today=None):
    refresh_cases(case_ids=[case_id], today=today)


def _send_immediate(new):
    allocated = [row for row in new if row.kind == Kind.ALLOCATION and not row.escalated]
    if allocated:
        from .digest import queue_immediate

        queue_immediate(user_ids={row.user_id for row in allocated})


def mark_read(*, user, ids):
    """Mark the user's own items read (anyone else's ids are ignored). Returns how many."""
    done = Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
    if done:
        audit.record(
            actor=user, action=audit.AuditAction.UPDATE, object_type="notifications.notification",
            fields=["read_at"], detail=f"{done} notification(s) marked read",
        )  # fmt: skip
    return done


def save_preference(*, user, form):
    """Save the user's mail preference (their own only), audited with the choice (not case data)."""
    old = NotificationPreference.objects.filter(user=user).values_list("mail", flat=True).first()
    preference = form.save(commit=False)
    preference.user = user
    preference.save()
    audit.record(
        actor=user, action=audit.AuditAction.UPDATE, obj=preference, fields=["mail"],
        detail=f"mail {old or 'daily'}->{preference.mail}",
    )  # fmt: skip
    return preference
