"""The front door: concerns raised online by the public and partner agencies, and their screening.

A `Submission` is what the referrer sent, kept exactly as sent: it is written once and never
changed (the model refuses, and on PostgreSQL a trigger refuses too). What the front-door team
made of it is its `Screening`: turned into a concern (a `cases.Case`) or recorded as not a
safeguarding concern, with the reason and the signposting. `ReferrerFeedback` records what the
person who raised a concern was told, when, and why anything was withheld.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cases.codes import LocationOfRisk, ReferrerType


class FrontDoorSetting(models.Model):
    """The one row saying which team screens the front door (safeguarding leads choose it)."""

    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Its practitioners and managers screen every concern raised online.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Front door team: {self.team or 'not chosen'}"


class AdultKnows(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "I'm not sure"


class AdultAgrees(models.TextChoices):
    YES = "yes", "Yes, they agree"
    NO = "no", "No, they do not agree"
    NOT_ASKED = "not_asked", "I have not been able to ask them"


class HarmSource(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", "A paid carer, care home, hospital or other service"
    KNOWN = "known", "Someone the adult knows, such as family, a partner, a friend or a neighbour"
    UNKNOWN = "unknown", "Someone the adult does not know"
    NOT_SURE = "not_sure", "I don't know"


class ImmediateDanger(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "I'm not sure"


class SubmissionQuerySet(models.QuerySet):
    def awaiting_screening(self):
        return self.filter(screening__isnull=True)


class Submission(models.Model):
    """A concern raised through the public form, exactly as the referrer sent it (read-only)."""

    reference = models.CharField(max_length=20, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    screening_due = models.DateField()

    # Who raised it
    referrer_type = models.CharField("Who is reporting", max_length=20, choices=ReferrerType.choices)
    referrer_name = models.CharField("Name", max_length=200, blank=True)
    referrer_email = models.EmailField("Email address", blank=True)
    referrer_phone = models.CharField("Phone number", max_length=40, blank=True)
    referrer_organisation = models.CharField("Organisation", max_length=200, blank=True)
    referrer_role = models.CharField("Job title or role", max_length=200, blank=True)
    referrer_relationship = models.CharField("Relationship to the adult", max_length=200, blank=True)

    # Consent
    adult_knows = models.CharField("Does the adult know you are reporting?", max_length=10, choices=AdultKnows.choices)
    adult_agrees = models.CharField("Does the adult agree?", max_length=10, choices=AdultAgrees.choices, blank=True)
    adult_not_agreed_reason = models.TextField("Why not", blank=True)

    # The adult
    adult_name = models.CharField("Full name", max_length=200)
    adult_preferred_name = models.CharField("Preferred name", max_length=200, blank=True)
    adult_date_of_birth = models.DateField("Date of birth", null=True, blank=True)
    adult_approximate_age = models.PositiveSmallIntegerField("Approximate age", null=True, blank=True)
    adult_address = models.TextField("Address", blank=True)
    adult_nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    adult_communication_needs = models.TextField("Communication needs", blank=True)

    # What happened
    what_happened = models.TextField("What happened")
    when_happened = models.CharField("When it happened", max_length=200, blank=True)
    where_happened = models.CharField(
        "Where it happened", max_length=30, choices=[*LocationOfRisk.choices, ("not_sure", "I don't know")]
    )
    where_details = models.CharField("Where: details", max_length=200, blank=True)
    harm_source = models.CharField("Who may be causing the harm", max_length=20, choices=HarmSource.choices)
    harm_details = models.TextField("About the person who may be causing harm", blank=True)
    immediate_danger = models.CharField(
        "Is anyone in immediate danger?", max_length=10, choices=ImmediateDanger.choices
    )
    others_at_risk_children = models.BooleanField("Children are also at risk", default=False)
    others_at_risk_adults = models.BooleanField("Other adults are also at risk", default=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("A submission is kept exactly as it was sent: it cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_professional(self):
        return self.referrer_type != ReferrerType.PUBLIC

    @property
    def screening_overdue(self):
        return self.screening_due < timezone.localdate()


class ScreeningOutcome(models.TextChoices):
    CONCERN = "concern", "Turned into a safeguarding concern"
    NOT_SAFEGUARDING = "not_safeguarding", "Not a safeguarding concern"


class Screening(models.Model):
    """What the front-door team decided about a submission. A contact either way; a concern only
    when it became a case."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="screening")
    outcome = models.CharField(max_length=20, choices=ScreeningOutcome.choices)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="front_door_screening"
    )
    reason = models.TextField("Why this is not a safeguarding concern", blank=True)
    signposting = models.TextField("Where the person was signposted", blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="concern", case__isnull=False)
                | models.Q(outcome="not_safeguarding", case__isnull=True),
                name="screening_concern_has_case",
            )
        ]

    def __str__(self):
        return f"{self.submission}: {self.get_outcome_display()}"


class ReferrerFeedback(models.Model):
    """What the person who raised the concern was told about it, and what was held back and why."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrer_feedback")
    shared_on = models.DateField("When it was shared")
    what_was_shared = models.TextField("What was shared with the referrer")
    withheld_reason = models.TextField("Anything withheld, and why", blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_on", "-id"]

    def __str__(self):
        return f"Feedback to the referrer on {self.shared_on:%d %b %Y}"
