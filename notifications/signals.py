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
    }
)


def moves_work(kind):
    return kind in MOVES_WORK or kind.startswith("state:")


@receiver(post_save, sender=CaseEvent, dispatch_uid="notifications.case_event")
def case_event_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or not moves_work(instance.kind):
        return
    case_id = instance.case_id

    def refresh():
        from .services import refresh_case

        refresh_case(case_id=case_id)

    # robust: a failure here is logged and left to the next sweep; it never fails the user's save.
    transaction.on_commit(refresh, robust=True)
