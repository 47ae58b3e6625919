"""The Safeguarding Adults Reviews register (Care Act 2014 s44): the board's business, kept by
safeguarding leads, not part of any team's caseload.

A `SafeguardingAdultsReview` is one referral for a review: the criteria considered, the
decision and, where the board proceeds, its stages up to the date it concluded. Its
`SarPerson`s are the adults it is about (each one died, or suffered serious harm and survived;
optionally linked to their case), and its `Recommendation`s the findings and what is to be done,
each with an owner and a status tracked to completion. The SAC's SG5a/SG5b count the reviews
concluded in a period and their people (`reporting.aggregation.aggregate_sars`).

People's names are personal data: they are shown on the lead's pages only, never in a URL,
a log, an audit detail or anything the board is sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

User = settings.AUTH_USER_MODEL


class Criteria(models.TextChoices):
    MANDATORY = (
        "s44_1",
        "Section 44(1): mandatory (died or serious harm, abuse or neglect suspected, "
        "concern about how agencies worked together)",
    )
    DISCRETIONARY = "s44_4", "Section 44(4): discretionary (any other adult with care and support needs)"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Proceed with a review"
    NOT_PROCEED = "not_proceed", "Do not proceed"


class Harm(models.TextChoices):
    DIED = "died", "Died"
    SURVIVED = "survived", "Suffered serious harm and survived"


class RecommendationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


#: The stages of a review, in order: (field, label). Each is the date the stage was reached.
STAGES = (
    ("scoping_on", "Scoping agreed"),
    ("panel_on", "First review panel"),
    ("report_drafted_on", "Report drafted"),
    ("report_published_on", "Report published"),
)


class SafeguardingAdultsReview(models.Model):
    referred_on = models.DateField("Date of referral")
    # No model default: the lead answers these on the form (blank only until they do).
    criteria = models.CharField("Criteria considered", max_length=10, choices=Criteria.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_on = models.DateField("Date of decision", null=True, blank=True)
    reviewer = models.CharField("Reviewer", max_length=200, blank=True)
    scoping_on = models.DateField("Scoping agreed", null=True, blank=True)
    panel_on = models.DateField("First review panel", null=True, blank=True)
    report_drafted_on = models.DateField("Report drafted", null=True, blank=True)
    report_published_on = models.DateField("Report published", null=True, blank=True)
    concluded_on = models.DateField("Date concluded", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["concluded_on"], name="sar_concluded")]
        constraints = [
            # Only a review the board went ahead with can conclude (and so count in SG5).
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(decision="proceed"), name="sar_concluded_only_if_proceeding"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False), name="sar_decision_has_a_date"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """How the review is named everywhere (never after a person)."""
        return f"SAR {self.pk}"

    @property
    def stage_label(self):
        if self.concluded_on:
            return "Concluded"
        if self.decision == Decision.NOT_PROCEED:
            return "Not proceeding"
        if not self.decision:
            return "Awaiting a decision"
        reached = [label for field, label in STAGES if getattr(self, field)]
        return reached[-1] if reached else "Proceeding"

    def stages(self):
        return [(label, getattr(self, field)) for field, label in STAGES]


class SarPerson(models.Model):
    review = models.ForeignKey(SafeguardingAdultsReview, on_delete=models.CASCADE, related_name="people")
    name = models.CharField("Name", max_length=200)
    harm = models.CharField("What happened to them", max_length=10, choices=Harm.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Person {self.pk} of {self.review.label}"


class Recommendation(models.Model):
    review = models.ForeignKey(SafeguardingAdultsReview, on_delete=models.CASCADE, related_name="recommendations")
    finding = models.TextField("Finding", blank=True)
    text = models.TextField("Recommendation")
    owner = models.CharField("Owner", max_length=200)
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.NOT_STARTED
    )
    completed_on = models.DateField("Date completed", null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="completed") & Q(completed_on__isnull=False))
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="sar_recommendation_completed_has_a_date",
            )
        ]

    def __str__(self):
        return f"Recommendation {self.pk} of {self.review.label}"
