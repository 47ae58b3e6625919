"""Forms of the documents app. The upload form reads the file's type from its content."""

from django import forms
from django.template.defaultfilters import filesizeformat

from accounts.text import TextLimitsMixin
from cases.access import case_scope
from cases.models import Case

from . import conf
from .models import CaseContact, DocumentCategory, PhotoConsent
from .sniffing import display_name, sniff

WITHHELD_REASON_REQUIRED = "Say why this is not to be disclosed to the adult."


class WithholdingMixin:
    """A record marked "not to be disclosed to the adult" needs the reason."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("withheld_from_adult") and not (cleaned.get("withheld_reason") or "").strip():
            self.add_error("withheld_reason", WITHHELD_REASON_REQUIRED)
        return cleaned


class DocumentForm(TextLimitsMixin, WithholdingMixin, forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A PDF, a photograph (JPEG, PNG, GIF, WebP, HEIC), an Office document or plain text.",
        error_messages={"required": "Choose a file to attach.", "empty": "The file is empty. Choose the file again."},
    )
    category = forms.ChoiceField(
        label="What kind of document is it?",
        choices=[("", "Choose one")] + DocumentCategory.choices,
        error_messages={"required": "Say what kind of document it is."},
    )
    description = forms.CharField(
        label="Description",
        max_length=300,
        help_text="What it is, in a sentence (for example: letter from the bank, 3 March).",
        error_messages={"required": "Describe the document in a sentence."},
    )
    photo_consent = forms.ChoiceField(
        label="Consent to the photograph",
        choices=PhotoConsent.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="For a photograph of an injury: how consent was given.",
    )
    withheld_from_adult = forms.BooleanField(label="Not to be disclosed to the adult", required=False)
    withheld_reason = forms.CharField(
        label="Why it is not to be disclosed", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = conf.max_bytes()
        if upload.size > limit:
            size, largest = filesizeformat(upload.size), filesizeformat(limit)
            raise forms.ValidationError(f"The file is {size}: the largest file you can attach is {largest}.")
        self.content_type, self.extension = sniff(upload)
        self.original_name = display_name(upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") == DocumentCategory.INJURY_PHOTO and not cleaned.get("photo_consent"):
            self.add_error("photo_consent", "Say how the adult consented to the photograph of their injury.")
        return cleaned


class DisclosureForm(TextLimitsMixin, WithholdingMixin, forms.Form):
    """Change whether a saved document, note or contact may be disclosed to the adult."""

    withheld_from_adult = forms.BooleanField(label="Not to be disclosed to the adult", required=False)
    withheld_reason = forms.CharField(
        label="Why it is not to be disclosed",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The subject access export shows this reason where the record is redacted.",
    )

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial", {"withheld_from_adult": record.withheld_from_adult, "withheld_reason": record.withheld_reason}
        )
        super().__init__(*args, **kwargs)


class ContactForm(TextLimitsMixin, WithholdingMixin, forms.ModelForm):
    class Meta:
        model = CaseContact
        fields = [
            "occurred_on", "party", "contact_name", "organisation", "method", "what", "follow_up", "follow_up_on",
            "withheld_from_adult", "withheld_reason",
        ]  # fmt: skip
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
            "party": forms.RadioSelect,
            "method": forms.RadioSelect,
            "what": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "withheld_reason": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "occurred_on": {"required": "Enter the date of the contact or note.", "invalid": "Enter a real date."},
            "party": {"required": "Say who it was with."},
            "method": {"required": "Say how: phone, email, visit, letter, meeting, or a case note."},
            "what": {"required": "Say what was said or noted."},
            "follow_up_on": {"invalid": "Enter a real date."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No pre-ticked answer: the party and the way are chosen, never defaulted.
        self.fields["party"].choices = [c for c in self.fields["party"].choices if c[0]]
        self.fields["method"].choices = [c for c in self.fields["method"].choices if c[0]]

    def clean_occurred_on(self):
        from django.utils import timezone

        day = self.cleaned_data["occurred_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day


class SubjectAccessForm(TextLimitsMixin, forms.Form):
    case_ref = forms.CharField(
        label="Reference of one of the adult's cases",
        max_length=40,
        help_text="The export covers every case of that adult that you may see.",
        error_messages={"required": "Enter a case reference."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case_ref(self):
        ref = self.cleaned_data["case_ref"].strip()
        case = (
            Case.objects.filter(case_scope(self.user))
            .filter(ref__in={ref, ref.upper()})
            .select_related("person")
            .first()
        )
        if case is None:
            raise forms.ValidationError("There is no case with this reference that you can see.")
        self.person = case.person
        return ref
