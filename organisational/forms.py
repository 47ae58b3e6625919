"""Forms of organisational enquiries. Dates are checked against today; what was typed is kept."""

from django import forms
from django.utils import timezone

from accounts.text import TextLimitsMixin
from outcomes.forms import DateInput
from partnership.forms import _not_in_future, partner_attendees_field, read_attendees
from partnership.models import MeetingKind, PartnerOrganisation

from . import selectors
from .models import OrganisationalAction, OrganisationalEnquiry, ProviderUpdate

REAL_DATE = "Enter a real date."


def _person_choices(field):
    field.label_from_instance = lambda user: user.display_name
    return field


class EnquiryForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = OrganisationalEnquiry
        fields = ["provider", "concern", "opened_on", "lead_officer"]
        widgets = {"opened_on": DateInput(), "concern": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "provider": {"required": "Choose the provider.", "invalid_choice": "Choose a provider from the list."},
            "concern": {"required": "Say what the enquiry is about."},
            "opened_on": {"required": "Enter the date it was opened.", "invalid": REAL_DATE},
            "lead_officer": {"required": "Choose the lead officer.", "invalid_choice": "Choose someone from the list."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = PartnerOrganisation.objects.providers().filter(active=True)
        self.fields["provider"].empty_label = "Choose the provider"
        self.fields["lead_officer"].queryset = selectors.managers_and_leads()
        self.fields["lead_officer"].empty_label = "Choose the lead officer"
        _person_choices(self.fields["lead_officer"])

    def clean(self):
        data = super().clean()
        _not_in_future(self, "opened_on", "The date opened")
        return data


class LinkCasesForm(TextLimitsMixin, forms.Form):
    """Cases to link: ticked from the suggestions (cases naming the provider), or typed by reference."""

    suggested = forms.MultipleChoiceField(
        label="Cases whose risks name this provider", required=False, widget=forms.CheckboxSelectMultiple
    )
    refs = forms.CharField(
        label="Other case references",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or more case references, one a line or separated by commas (for example CASE-000123).",
    )

    def __init__(self, *args, user, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["suggested"].choices = [
            (str(case.pk), f"{case.ref}: {case.person.display_name} ({case.team.name})") for case in suggestions
        ]
        self._suggestions = {str(case.pk): case for case in suggestions}

    def clean(self):
        data = super().clean()
        typed = [ref.strip() for chunk in (data.get("refs") or "").splitlines() for ref in chunk.split(",")]
        typed = [ref for ref in typed if ref]
        found = selectors.cases_by_ref(self.user, typed)
        missing = [ref for ref in typed if ref.upper() not in found]
        if missing:
            self.add_error("refs", f"There is no case you can see with the reference {', '.join(missing[:5])}.")
        cases = [self._suggestions[pk] for pk in data.get("suggested", [])]
        cases += [found[ref.upper()] for ref in typed if ref.upper() in found]
        if not cases and not self.errors:
            self.add_error(None, "Tick a case or type a case reference to link.")
        self.cases = list({case.pk: case for case in cases}.values())
        return data


class UnlinkForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the case taken out of the enquiry?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the case is taken out of the enquiry."},
    )


class UpdateForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = ProviderUpdate
        fields = ["source", "received_on", "summary"]
        widgets = {
            "source": forms.RadioSelect,
            "received_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "source": {"required": "Say who the update is from."},
            "received_on": {"required": "Enter the date it was received.", "invalid": REAL_DATE},
            "summary": {"required": "Say what they said."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [c for c in self.fields["source"].choices if c[0]]  # no default

    def clean(self):
        data = super().clean()
        _not_in_future(self, "received_on", "The date received")
        return data


class MeetingForm(TextLimitsMixin, forms.Form):
    """A meeting of the enquiry: the partnership meeting record without the adult's own questions."""

    kind = forms.ChoiceField(
        label="Type of meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of meeting."},
    )
    held_on = forms.DateField(
        label="Date held", widget=DateInput(), error_messages={"required": "Enter the date held.", "invalid": REAL_DATE}
    )
    staff = forms.ModelMultipleChoiceField(
        label="Staff who attended", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    partner_attendees = partner_attendees_field("Sam Jones, Synthetic Meadows Care Home")
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the decisions made."},
    )
    minutes = forms.CharField(label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.managers_and_leads()
        _person_choices(self.fields["staff"])

    def clean(self):
        data = super().clean()
        _not_in_future(self, "held_on", "The date held")
        read_attendees(self, data)
        return data


class ActionForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = OrganisationalAction
        fields = ["action", "responsible", "due_on", "meeting"]
        widgets = {"action": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}
        labels = {"meeting": "Agreed at"}
        error_messages = {
            "action": {"required": "Say what is to be done."},
            "responsible": {"required": "Say who is responsible."},
            "due_on": {"required": "Enter the date it is due by.", "invalid": REAL_DATE},
            "meeting": {"invalid_choice": "Choose one of this enquiry's meetings."},
        }

    def __init__(self, *args, enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = enquiry.meetings.select_related("meeting")
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].empty_label = "Not agreed at a meeting"
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.meeting.get_kind_display()}, {m.meeting.held_on:%-d %b %Y}"
        )


class ConclusionForm(TextLimitsMixin, forms.Form):
    concluded_on = forms.DateField(
        label="Concluded on",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": "Enter the date it concluded.", "invalid": REAL_DATE},
    )
    conclusion = forms.CharField(
        label="Conclusion",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the enquiry found about the provider, and what happens next.",
        error_messages={"required": "Write the conclusion."},
    )

    def clean(self):
        data = super().clean()
        _not_in_future(self, "concluded_on", "The date concluded")
        return data
