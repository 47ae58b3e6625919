"""Case documents, case notes and contacts, and subject access exports.

A document's file is stored through Django's default storage under a generated name
(`documents/<uuid>.<ext>`, the extension from the sniffed type): the uploaded file name is
kept only as sanitised display text. A document or a note can be withheld from the adult
(with a reason): the subject access export marks it redacted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from reporting.models import QueuedRun


class DocumentCategory(models.TextChoices):
    INJURY_PHOTO = "injury_photo", "Photograph of an injury"
    LETTER = "letter", "Letter"
    PARTNER_REPORT = "partner_report", "Report from a partner organisation"
    MEETING_MINUTES = "meeting_minutes", "Meeting minutes"
    OTHER = "other", "Other document"


class PhotoConsent(models.TextChoices):
    GIVEN = "given", "The adult consented to the photograph"
    BEST_INTERESTS = "best_interests", "The adult lacks capacity to consent: taken in their best interests"


def document_upload_to(document, filename):
    """A generated name: never any part of the uploaded file's name."""
    return f"documents/{document.stored_id}.{document.extension}"


class CaseDocument(models.Model):
    """A file attached to a case (a photograph, a letter, a partner's report, minutes)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    stored_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField(max_length=20, choices=DocumentCategory.choices)
    description = models.CharField(max_length=300, help_text="What the document is, in a sentence.")
    photo_consent = models.CharField(
        "Consent to the photograph", max_length=20, choices=PhotoConsent.choices, blank=True
    )
    original_name = models.CharField(
        max_length=120, help_text="The uploaded file's name, sanitised: display text only, never a path."
    )
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    withheld_from_adult = models.BooleanField("Not to be disclosed to the adult", default=False)
    withheld_reason = models.TextField("Why it is not to be disclosed", blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-uploaded_at"], name="document_case_uploaded"),
            models.Index(fields=["-uploaded_at"], name="document_uploaded"),  # the dashboard's recent
        ]

    def __str__(self):
        return f"Document {self.pk} ({self.get_category_display()})"

    kind_label = "Document"

    @property
    def line_label(self):
        """The document in a chronology line: its kind and description."""
        return f"{self.get_category_display()}: {self.description}"


class ContactParty(models.TextChoices):
    AGENCY = "agency", "An agency or organisation"
    FAMILY = "family", "Family or a friend"
    REFERRER = "referrer", "The referrer"
    OTHER = "other", "Someone else"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    VISIT = "visit", "Visit"
    LETTER = "letter", "Letter"
    MEETING = "meeting", "Meeting"
    NOTE = "note", "No contact: a case note"


class CaseContact(models.Model):
    """A contact with an agency, family or the referrer, or a case note: not a conversation with
    the adult (those are the MSP record's `outcomes.Conversation`)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField("Date")
    party = models.CharField("Who it was with", max_length=10, choices=ContactParty.choices)
    contact_name = models.CharField("Their name", max_length=200, blank=True)
    organisation = models.CharField("Their organisation or relationship to the adult", max_length=200, blank=True)
    method = models.CharField("How", max_length=10, choices=ContactMethod.choices)
    what = models.TextField("What was said or noted")
    follow_up = models.TextField("Follow-up", blank=True)
    follow_up_on = models.DateField("Follow-up by", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withheld_from_adult = models.BooleanField("Not to be disclosed to the adult", default=False)
    withheld_reason = models.TextField("Why it is not to be disclosed", blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-occurred_on"], name="contact_case_date"),
            models.Index(fields=["-recorded_at"], name="contact_recorded"),  # the dashboard's recent
        ]

    def __str__(self):
        return f"Contact {self.pk} ({self.get_method_display()})"

    @property
    def kind_label(self):
        return "Case note" if self.is_note else "Contact"

    @property
    def line_label(self):
        """The note or contact in a chronology line: its date and, for a contact, who with."""
        on = f"{self.occurred_on:%d %b %Y}"
        return on if self.is_note else f"{on}, with {self.with_label}"

    @property
    def is_note(self):
        return self.method == ContactMethod.NOTE

    @property
    def with_label(self):
        """Who it was with, as one line: "Jo Bank (Northern Bank, agency)"."""
        bits = [b for b in (self.organisation, self.get_party_display()) if b]
        name = self.contact_name or "Not named"
        return f"{name} ({', '.join(bits)})"


def export_upload_to(export, filename):
    return f"subject-access/{uuid.uuid4()}.pdf"


class SubjectAccessExport(QueuedRun):
    """Everything the system holds about one adult, as a PDF built on the worker for the
    safeguarding lead who asked, who may download it once. The task is given this row's pk only."""

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="subject_access_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    build_ms = models.PositiveIntegerField(null=True, blank=True)
    pdf = models.FileField(upload_to=export_upload_to, max_length=200, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Subject access export {self.pk} ({self.get_status_display()})"

    @property
    def downloadable(self):
        return self.status == "done" and bool(self.pdf) and self.downloaded_at is None


def contact_line(contact):
    """The chronology line of a note or contact: distinct from the MSP conversations with the adult."""
    on = f"{contact.occurred_on:%d %b %Y}"
    if contact.is_note:
        return f"Case note ({on}): {contact.what[:300]}"
    method = contact.get_method_display().lower()
    return f"Contact, not with the adult ({method}, {on}) with {contact.with_label}: {contact.what[:300]}"
