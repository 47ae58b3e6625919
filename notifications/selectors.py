"""Reads of a user's notifications: the header's count (one query) and the page's items, both
limited by the access policy (an item on a case the user can no longer see is not shown)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.access import case_scope
from cases.models import Decision
from outcomes.models import ClosureReview

from .models import Kind, Notification

PAGE_SIZE = 100


def visible(user):
    """The user's own items, on cases still in their scope (a grant review is for a lead's
    decision on the grant, not a reading of the case)."""
    return Notification.objects.filter(user=user).filter(
        Q(case__isnull=True) | Q(kind=Kind.GRANT_REVIEW) | case_scope(user, prefix="case__")
    )


#: The bell counts up to this many unread items and shows "99+" beyond: the count stays one
#: short index range on every page however much work a user has (docs/performance.md).
BELL_CAP = 100


def unread_count(user, cap=BELL_CAP):
    """The bell's number, at most `cap` (None: the exact count): one COUNT over the partial
    index of unread items, stopping at `cap` rows."""
    unread = visible(user).unread().order_by()
    return unread.count() if cap is None else unread[:cap].count()


def bell_label(count):
    """What the bell shows for `unread_count`'s number."""
    return f"{BELL_CAP - 1}+" if count >= BELL_CAP else str(count)


def items(user, today=None):
    """The page: unread first, then by due date (the most overdue first); at most PAGE_SIZE.
    The unread ones are read in the order of their partial index, so a user with thousands of
    items costs the page no more than one with a hundred; read ones fill the rest."""
    today = today or timezone.localdate()
    mine = visible(user).select_related("case", "about").order_by("due_on", "created_at", "id")
    rows = list(mine.filter(read_at__isnull=True)[:PAGE_SIZE])
    if len(rows) < PAGE_SIZE:
        rows += list(mine.filter(read_at__isnull=False)[: PAGE_SIZE - len(rows)])
    comments = _comments(rows)
    for row in rows:
        row.link = link_for(row)
        row.comment = comments.get((row.kind, row.source_id), "")
        row.is_late = row.is_overdue(today)
    return rows


def _comments(rows):
    """The manager's comment of each returned decision, and of each returned or signed-off
    closure, on the page (two queries at most)."""
    found = {}
    decisions = [row.source_id for row in rows if row.kind == Kind.DECISION_RETURNED]
    closure_kinds = (Kind.CLOSURE_RETURNED, Kind.CLOSURE_SIGNED_OFF)
    closures = {row.source_id: row.kind for row in rows if row.kind in closure_kinds}
    if decisions:
        for pk, text in Decision.objects.filter(pk__in=decisions).values_list("pk", "review_comments"):
            found[(Kind.DECISION_RETURNED, pk)] = text
    if closures:
        for pk, text in ClosureReview.objects.filter(pk__in=closures).values_list("pk", "manager_comments"):
            found[(closures[pk], pk)] = text
    return found


def link_for(row):
    """Where an item's work is done (ids only in the address)."""
    if row.kind == Kind.SCREENING_DUE:
        return reverse("frontdoor:submission", args=[row.source_id])
    if row.kind == Kind.GRANT_REVIEW:
        return reverse("accounts:grant_list")
    if row.kind == Kind.DECISION_RETURNED:
        return reverse("cases:decision_propose", args=[row.case_id])
    if row.kind == Kind.FEEDBACK_CALL:
        return reverse("feedback:follow_up", args=[row.source_id])
    if row.kind == Kind.DECISION_DUE:
        return reverse("cases:detail", args=[row.case_id])
    return reverse("outcomes:enquiry", args=[row.case_id])
