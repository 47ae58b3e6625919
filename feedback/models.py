"""Feedback from the person after an enquiry (MSP Outcomes Framework), by three routes.

A `FeedbackResponse` is one questionnaire answered by the adult or their representative; its
`FeedbackItem`s hold one answer code per question (`feedback.questions`). The route is kept
with every response, so the SAB sees the bias of answers given to the enquiry lead:

- **at closure**, asked by the enquiry lead (it replaced the closure review's three feeling
  questions; migration 0002 carried every answer over);
- **independent follow-up**, within 8 weeks of closure, by a named person outside the team;
- **anonymous**, through a one-time code printed on the adult's "What you told us" summary.
  An anonymous response is linked only to the team and the quarter: no case, no person, no
  asker, no time of day (a database constraint holds it).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .questions import ANSWERS, QUESTION_CODES

User = settings.AUTH_USER_MODEL


class Route(models.TextChoices):
    AT_CLOSURE = "at_closure", "At closure, by the enquiry lead"
    INDEPENDENT = "independent", "Independent follow-up"
    ANONYMOUS = "anonymous", "Anonymous"


class Version(models.TextChoices):
    ADULT = "adult", "The adult"
    REPRESENTATIVE = "representative", "A representative (family, friend, carer, IMCA)"
    NOT_RECORDED = "not_recorded", "Not recorded (carried over from a closure review)"


class QuoteStatus(models.TextChoices):
    NONE = "none", "No words to share"
    PENDING = "pending", "Waiting for a lead's approval"
    APPROVED = "approved", "Approved for the board"
    REFUSED = "refused", "Not for publication"


def quarter_start(day):
    """The first day of the quarter `day` lies in (January, April, July, October: the financial
    year's quarters too)."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class FeedbackResponse(models.Model):
    route = models.CharField(max_length=12, choices=Route.choices)
    version = models.CharField("Who answered", max_length=16, choices=Version.choices)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    quarter_start = models.DateField("Quarter")
    # Staff routes only (never for an anonymous response: the constraint below).
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_responses"
    )
    asked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField("When they were asked", null=True, blank=True)
    anything_else = models.TextField("Anything else they want to tell us", blank=True)
    share_consent = models.BooleanField("They agree their words may be shared with the board", default=False)
    quote_status = models.CharField(max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.NONE)
    quote_reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quote_reviewed_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-quarter_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(route=Route.ANONYMOUS, case=None, asked_by=None, asked_on=None, recorded_at=None)
                    | (~Q(route=Route.ANONYMOUS) & Q(case__isnull=False))
                ),
                name="feedback_anonymous_has_no_case",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(route=Route.AT_CLOSURE), name="feedback_one_at_closure_per_case"
            ),
        ]
        indexes = [
            models.Index(fields=["quarter_start", "team"], name="feedback_quarter_team"),
            models.Index(fields=["quote_status"], name="feedback_quote_pending", condition=Q(quote_status="pending")),
        ]

    def __str__(self):
        return f"{self.get_route_display()} feedback {self.pk}"

    @property
    def anonymous(self):
        return self.route == Route.ANONYMOUS

    def answers(self):
        """{question code: answer code}."""
        return {item.question: item.answer for item in self.items.all()}


class FeedbackItem(models.Model):
    """One answer: a question code and an answer code (`feedback.questions`)."""

    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="items")
    question = models.CharField(max_length=24, choices=[(code, code) for code in QUESTION_CODES])
    answer = models.CharField(max_length=16, choices=list(ANSWERS.items()))

    class Meta:
        ordering = ["response", "id"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="feedback_one_answer_each")]

    def __str__(self):
        return f"{self.question}: {self.answer}"


class FeedbackCode(models.Model):
    """A one-time code for the anonymous questionnaire, printed on the adult's summary.

    Only its SHA-256 hash is stored, with the team and when it expires: nothing links it to the
    case or the summary it was printed on. Used once (`used_on`, a date only)."""

    code_hash = models.CharField(max_length=64, unique=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    expires_on = models.DateField()
    used_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"Feedback code {self.pk}"

    def usable(self, today=None):
        return self.used_on is None and (today or timezone.localdate()) <= self.expires_on


class FollowUpReviewer(models.Model):
    """A user a safeguarding lead named to make the independent follow-ups of a team's closed
    enquiries: never a member of that team (checked when named, and again by every query)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "user"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="feedback_one_reviewer_per_team")]

    def __str__(self):
        return f"Follow-up reviewer {self.user_id} for team {self.team_id}"
