"""Working together: partner organisations, enquiries caused to them (Care Act s42(2)),
strategy discussions and multi-agency meetings, and the record of information shared.

Partner organisations are a reference list the safeguarding leads keep; their sector uses the
front door's referrer sector codes (`cases.codes.ReferrerType`, without "member of the
public"), so the board's "who raised it" and "who we work with" speak the same language.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.codes import ReferrerType

User = settings.AUTH_USER_MODEL

#: The sectors a partner organisation can be in: the front door's professional referrer sectors.
PARTNER_SECTORS = [(code.value, code.label) for code in ReferrerType if code != ReferrerType.PUBLIC]


class PartnerOrganisationQuerySet(models.QuerySet):
    def providers(self):
        """Organisations that provide care and support: the care provider sector, or CQC registered."""
        return self.filter(Q(sector=ReferrerType.CARE_PROVIDER) | Q(cqc_registered=True))


class PartnerOrganisation(models.Model):
    """An organisation the council works with: a care provider, an NHS trust, the police.

    A provider (`PartnerOrganisationQuerySet.providers`) also has its type of service and CQC
    location id, as free text; a risk whose source is a service provider can name it."""

    name = models.CharField("Name", max_length=200, unique=True)
    sector = models.CharField("Sector", max_length=20, choices=PARTNER_SECTORS)
    cqc_registered = models.BooleanField(
        "Registered with the CQC",
        default=False,
        help_text="For care providers registered with the Care Quality Commission.",
    )
    service_type = models.CharField(
        "Type of service",
        max_length=200,
        blank=True,
        help_text="For a care provider: for example residential care home, nursing home, home care, supported living.",
    )
    cqc_location_id = models.CharField(
        "CQC location ID",
        max_length=30,
        blank=True,
        help_text="As on the CQC register, for example 1-123456789.",
    )
    active = models.BooleanField(
        "Active", default=True, help_text="Only active organisations are offered on new records."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Caused enquiries -------------------------------------------------------------------


class CausedStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    REPORT_RECEIVED = "report_received", "Report received"
    OVERDUE = "overdue", "Overdue"


class Adequacy(models.TextChoices):
    ADEQUATE = "adequate", "Adequate: it answers what was asked"
    PARTLY = "partly", "Partly adequate: more is needed"
    NOT_ADEQUATE = "not_adequate", "Not adequate"


class CausedEnquiryQuerySet(models.QuerySet):
    def awaiting_report(self):
        return self.filter(report_received_on__isnull=True)

    def report_due_by(self, day):
        """Awaiting the partner's report, due on or before `day`."""
        return self.awaiting_report().filter(due_on__lte=day)


class CausedEnquiry(models.Model):
    """A request that a partner organisation make enquiries (Care Act s42(2)), and what came back.

    The status is derived, never stored: sent, acknowledged, report received, or overdue when
    the report is not in by its due date."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="caused_enquiries")
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="caused_enquiries", verbose_name="Organisation"
    )
    asked = models.TextField("What they are asked to find out")
    contact = models.CharField("Contact there", max_length=200, help_text="Name and role, phone or email.")
    requested_on = models.DateField("Date asked", default=timezone.localdate)
    due_on = models.DateField("Report due by")
    requested_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    acknowledged_on = models.DateField("Acknowledged on", null=True, blank=True)
    # The partner's report.
    report_received_on = models.DateField("Report received on", null=True, blank=True)
    findings = models.TextField("What they found", blank=True)
    adequacy = models.CharField("Your assessment of the report", max_length=20, choices=Adequacy.choices, blank=True)
    adequacy_comment = models.TextField("Why", blank=True)
    report_recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A manager's finding that the report is not adequate.
    not_adequate_reason = models.TextField("Why the report is not adequate", blank=True)
    not_adequate_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    not_adequate_at = models.DateTimeField(null=True, blank=True)

    objects = CausedEnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"], name="caused_enquiry_awaiting", condition=Q(report_received_on__isnull=True)
            )
        ]

    def __str__(self):
        return f"Caused enquiry {self.pk}"

    def status_on(self, today=None):
        if self.report_received_on:
            return CausedStatus.REPORT_RECEIVED
        if self.due_on < (today or timezone.localdate()):
            return CausedStatus.OVERDUE
        if self.acknowledged_on:
            return CausedStatus.ACKNOWLEDGED
        return CausedStatus.SENT

    @property
    def status(self):
        return self.status_on()

    @property
    def overdue(self):
        return self.status == CausedStatus.OVERDUE


# --- Meetings ---------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy discussion or meeting"
    MDT = "mdt", "Multi-disciplinary team (MDT) meeting"
    CASE_CONFERENCE = "case_conference", "Case conference"
    REVIEW = "review", "Review meeting"


class Meeting(models.Model):
    """A strategy discussion or multi-agency meeting about the adult: who took part, how the
    adult's views were heard, what was decided, and the minutes. A meeting of an organisational
    enquiry (`organisational.OrganisationalMeeting`) has no case: no case page reaches it."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("Type of meeting", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("Date held")
    staff = models.ManyToManyField(User, blank=True, related_name="+", verbose_name="Staff who attended")
    adult_attended = models.BooleanField("Did the adult attend?", null=True)
    advocate_attended = models.BooleanField("Did their advocate or representative attend?", null=True)
    views_brought_in = models.TextField("How the adult's views were brought in", blank=True)
    decisions = models.TextField("Decisions")
    minutes = models.TextField("Minutes", blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Meeting {self.pk}"


class MeetingAttendee(models.Model):
    """Someone from another organisation who took part (a free name, with their organisation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="partner_attendees")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Attendee {self.pk}"


class MeetingAction(models.Model):
    """Which meeting a protection-plan action came from (the action itself is the plan's own
    `outcomes.PlanAction`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    plan_action = models.OneToOneField("outcomes.PlanAction", on_delete=models.CASCADE, related_name="from_meeting")

    def __str__(self):
        return f"Action {self.plan_action_id} from meeting {self.meeting_id}"


# --- Information sharing ----------------------------------------------------------------


class ShareDirection(models.TextChoices):
    SHARED = "shared", "We shared information with them"
    RECEIVED = "received", "We received information from them"


class ShareCategory(models.TextChoices):
    IDENTITY = "identity", "Identity and contact details"
    CONCERN = "concern", "The concern and what happened"
    HEALTH = "health", "Health and care needs"
    RISK = "risk", "Risks and the protection plan"
    WISHES = "wishes", "The adult's views and wishes"
    CAPACITY = "capacity", "Mental capacity"
    CRIMINAL = "criminal", "Criminal matters"
    OTHER = "other", "Other"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent (UK GDPR Article 6(1)(a))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation, such as the Care Act 2014 (Article 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests: to protect someone's life (Article 6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task: the council's safeguarding duty (Article 6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (Article 6(1)(f))"


class NoConsentReason(models.TextChoices):
    RISK_TO_OTHERS = "risk_to_others", "Risk to others"
    PUBLIC_INTEREST = "public_interest", "Public interest"
    SERIOUS_CRIME = "serious_crime", "To prevent or detect a serious crime"
    LACKS_CAPACITY = "lacks_capacity", "The adult lacks capacity and it is in their best interests"


class InformationShareQuerySet(models.QuerySet):
    def awaiting_review(self):
        """Shared without the adult's consent and not yet reviewed by a manager."""
        return self.filter(consented=False, reviewed_at__isnull=True)


class InformationShare(models.Model):
    """One time information about the adult was shared with, or received from, another organisation."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="information_shares")
    direction = models.CharField("Shared or received", max_length=10, choices=ShareDirection.choices)
    categories = models.JSONField("What information", default=list)
    details = models.TextField("What, in a few words", blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="Partner organisation",
    )  # fmt: skip
    other_organisation = models.CharField("Or another organisation or person", max_length=200, blank=True)
    shared_on = models.DateField("When")
    shared_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    lawful_basis = models.CharField("Lawful basis", max_length=24, choices=LawfulBasis.choices)
    consented = models.BooleanField("Did the adult consent?", null=True)
    no_consent_reason = models.CharField(
        "Why it was shared without consent", max_length=20, choices=NoConsentReason.choices, blank=True
    )
    no_consent_detail = models.TextField("More about that decision", blank=True)
    adult_told = models.BooleanField("Was the adult told it was shared?", null=True, blank=True)
    # A manager's review of a share without consent.
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("Manager's comment", blank=True)

    objects = InformationShareQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_on", "-id"]
        indexes = [
            models.Index(
                fields=["case"], name="share_awaiting_review", condition=Q(consented=False, reviewed_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"Information share {self.pk}"

    @property
    def organisation_name(self):
        return self.partner.name if self.partner_id else self.other_organisation

    def category_labels(self):
        labels = dict(ShareCategory.choices)
        return [labels.get(code, code) for code in self.categories]

    @property
    def awaiting_review(self):
        return self.consented is False and self.reviewed_at is None
