"""The chronology receiver: when a case's chronology records an allocation or a change of
state (a decision or closure returned, signed off, an enquiry reopened), the case's items are
refreshed once the transaction commits. `cases` knows nothing of this app: it only writes its
chronology (`cases.workflow.log_event`)."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from cases.models import CaseEvent

logger = logging.getLogger(__name__)


#: Chronology lines after which a case's items may have changed (besides every change of state).
MOVES_WORK = frozenset(
    {
        "allocation",
        "outcomes:conversation",
        "outcomes:followup_done",
        "outcomes:plan_action",
        "outcomes:declined_support",
        "feedback:response",
        "partnership:caused_enquiry",
    }
)


def moves_work(kind):
    return kind in MOVES_WORK or kind.startswith("state:")


class _Batch:
    """The cases whose chronology moved in one transaction: refreshed together once it commits
    (a bulk allocation of twenty cases is one refresh, not twenty)."""

    def __init__(self):
        self.case_ids = set()
        self.flushed = False

    def flush(self):
        from .services import refresh_cases

        self.flushed = True

        refresh_cases(case_ids=sorted(self.case_ids))


def _pending(connection, batch):
    """Whether `batch`'s flush still waits for this transaction to commit (a rolled-back
    savepoint drops it from Django's list, and a new batch then starts)."""
    return (
        batch is not None and not batch.flushed and any(entry[1] == batch.flush for entry in connection.run_on_commit)
    )


@receiver(post_save, sender=CaseEvent, dispatch_uid="notifications.case_event")
def case_event_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or not moves_work(instance.kind):
        return
    connection = transaction.get_connection()
    batch = getattr(connection, "_notifications_batch", None)
    if _pending(connection, batch):
        batch.case_ids.add(instance.case_id)
        return
    batch = connection._notifications_batch = _Batch()
    batch.case_ids.add(instance.case_id)
    # robust: a failure here is logged and left to the next sweep; it never fails the user's save.
    transaction.on_commit(batch.flush, robust=True)
