"""What is due, for whom and why: one row per item on a user's notifications page.

Rows are derived from the records themselves (`notifications.sources`) by one idempotent sweep
(`services.sweep`) and, for a case whose chronology just moved, at once (`signals`). A row
holds no case content: its kind, the record it is about (by id), the due date and a short
reason in fixed words. The page reads the case reference, and a returned decision's or
closure's comment, from the records, through the access policy.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    # Event-driven (the chronology): raised at once, cleared when the work is done.
    ALLOCATION = "allocation", "Enquiry allocated to you"
    DECISION_RETURNED = "decision_returned", "Decision returned to you"
    CLOSURE_RETURNED = "closure_returned", "Closure returned to you"
    CLOSURE_SIGNED_OFF = "closure_signed_off", "Closure signed off"
    # Due or overdue, from the records' dates.
    DECISION_DUE = "decision_due", "s42 decision due"
    SCREENING_DUE = "screening_due", "Front-door screening due"
    FOLLOWUP_DUE = "followup_due", "Open-door follow-up due"
    PLAN_ACTION_DUE = "plan_action_due", "Plan action past its date"
    GRANT_REVIEW = "grant_review", "Restricted-case grant to review"
    FEEDBACK_CALL = "feedback_call", "Independent feedback call due"


#: Overdue statutory timescales: in every digest, whatever the user's mail preference.
STATUTORY_KINDS = frozenset({Kind.DECISION_DUE, Kind.SCREENING_DUE})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The record the item is about: its model ("outcomes.planaction") and id; and its case.
    source_type = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    why = models.CharField(max_length=200)
    # Escalated: the item is someone else's (`about`), overdue past ESCALATE_AFTER_WORKING_DAYS,
    # and on this manager's list too.
    escalated = models.BooleanField(default=False)
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "source_type", "source_id"], name="notification_once")
        ]
        indexes = [
            # The header's count (one index range per page, at most BELL_CAP rows) and the
            # page's unread items in their order.
            models.Index(
                fields=["user", "due_on", "created_at", "id"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(fields=["kind", "source_id"], name="notification_source"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for user {self.user_id}"

    def is_overdue(self, today=None):
        return self.due_on is not None and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()


class MailChoice(models.TextChoices):
    DAILY = "daily", "A daily digest"
    IMMEDIATE = "immediate", "An email at once for each allocation, and the daily digest"
    NONE = "none", "No email (overdue statutory timescales are still sent)"


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mail = models.CharField("Email me", max_length=10, choices=MailChoice.choices, default=MailChoice.DAILY)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Notification preference of user {self.user_id}"


class Digest(models.Model):
    """One user's digest of one working day. The row is claimed before the mail is sent, so a
    second run (a second beat, a retried task) finds it and sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    counts = models.JSONField(default=dict)  # kind -> number: no ids, no names
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self):
        return f"Digest of {self.day} for user {self.user_id}"
