"""Organisational (large-scale) enquiries: one enquiry about a provider, across the adults it
may have harmed.

Each adult keeps their own case, concern, MSP conversations and outcomes, and is counted in the
SAC on that case (every adult at risk is counted, as `sac-reference.md` says); the
organisational enquiry links those cases and holds the provider-level work: a lead officer,
meetings (the partnership app's `Meeting`, with no case), actions, updates from the provider
and the regulator, and a conclusion. Nothing here is counted in the return.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

User = settings.AUTH_USER_MODEL


class OrganisationalEnquiry(models.Model):
    provider = models.ForeignKey(
        "partnership.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="organisational_enquiries",
        verbose_name="Provider",
    )
    concern = models.TextField("What the enquiry is about", help_text="The pattern or concern about the provider.")
    opened_on = models.DateField("Opened on", default=timezone.localdate)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    lead_officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="Lead officer")
    concluded_on = models.DateField("Concluded on", null=True, blank=True)
    conclusion = models.TextField("Conclusion", blank=True)
    concluded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name_plural = "organisational enquiries"

    def __str__(self):
        return f"Organisational enquiry {self.pk}"

    @property
    def label(self):
        return f"OE-{self.pk:04d}"

    @property
    def is_open(self):
        return self.concluded_on is None


class LinkedCase(models.Model):
    """An adult's case taking part in the organisational enquiry."""

    enquiry = models.ForeignKey(OrganisationalEnquiry, on_delete=models.CASCADE, related_name="linked_cases")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="organisational_links")
    linked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["enquiry", "case"], name="unique_organisational_case")]

    def __str__(self):
        return f"Case {self.case_id} in organisational enquiry {self.enquiry_id}"


class UpdateSource(models.TextChoices):
    PROVIDER = "provider", "The provider"
    REGULATOR = "regulator", "The regulator (CQC)"
    COMMISSIONER = "commissioner", "The commissioners"
    OTHER = "other", "Someone else"


class ProviderUpdate(models.Model):
    """What the provider, the regulator or someone else told the enquiry."""

    enquiry = models.ForeignKey(OrganisationalEnquiry, on_delete=models.CASCADE, related_name="updates")
    source = models.CharField("From", max_length=20, choices=UpdateSource.choices)
    received_on = models.DateField("Received on")
    summary = models.TextField("What they said")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"Update {self.pk}"


class OrganisationalMeeting(models.Model):
    """Which organisational enquiry a meeting record (`partnership.Meeting`, with no case) is of."""

    enquiry = models.ForeignKey(OrganisationalEnquiry, on_delete=models.CASCADE, related_name="meetings")
    meeting = models.OneToOneField("partnership.Meeting", on_delete=models.CASCADE, related_name="organisational")

    class Meta:
        ordering = ["-meeting__held_on", "-id"]

    def __str__(self):
        return f"Meeting {self.meeting_id} of organisational enquiry {self.enquiry_id}"


class OrganisationalAction(models.Model):
    """An action of the organisational enquiry, agreed at one of its meetings or not."""

    enquiry = models.ForeignKey(OrganisationalEnquiry, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        OrganisationalMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    action = models.TextField("Action")
    responsible = models.CharField("Who is responsible", max_length=200)
    due_on = models.DateField("Due by")
    done_on = models.DateField("Done on", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_on", "due_on", "id"]

    def __str__(self):
        return f"Action {self.pk}"
