"""Forms of the partnership records. Legally significant answers (the lawful basis, consent,
whether the adult attended) start unanswered: no pre-ticked radio answers them, and one left
empty says so by its question (`ClearChoicesMixin`)."""

import datetime

from django import forms
from django.utils import timezone

from accounts.access import teams_of
from accounts.text import TextLimitsMixin
from outcomes.forms import ClearChoicesMixin, DateInput, PlanActionForm, _yes_no

from . import selectors, services
from .models import (
    Adequacy,
    CausedEnquiry,
    InformationShare,
    LawfulBasis,
    Meeting,
    MeetingKind,
    NoConsentReason,
    PartnerOrganisation,
    ShareCategory,
    ShareDirection,
)


def _not_in_future(form, name, label):
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, f"{label} cannot be in the future.")


def _organisation_field(required=True, label="Organisation"):
    return forms.ModelChoiceField(
        queryset=selectors.active_organisations(),
        required=required,
        label=label,
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation.",
            "invalid_choice": "Choose an organisation from the list.",
        },
    )


class OrganisationForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = services.ORGANISATION_FIELDS
        error_messages = {"name": {"unique": "There is already a partner organisation with this name."}}


class CausedEnquiryForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    partner = _organisation_field()

    class Meta:
        model = CausedEnquiry
        fields = services.CAUSED_FIELDS
        widgets = {
            "asked": forms.Textarea(attrs={"rows": 4}),
            "requested_on": DateInput(),
            "due_on": DateInput(),
        }

    def clean(self):
        data = super().clean()
        _not_in_future(self, "requested_on", "The date asked")
        asked, due = data.get("requested_on"), data.get("due_on")
        if asked and due and due < asked:
            self.add_error("due_on", "The report cannot be due before the date it was asked for.")
        return data


class CausedReportForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    adequacy = forms.ChoiceField(
        label="Your assessment of the report",
        choices=Adequacy.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CausedEnquiry
        fields = services.REPORT_FIELDS
        widgets = {
            "report_received_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 5}),
            "adequacy_comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_received_on"].required = True
        self.fields["report_received_on"].error_messages["required"] = "Enter the date the report was received."
        self.fields["findings"].required = True
        self.fields["findings"].error_messages["required"] = "Enter what they found."
        if self.instance.pk and not self.instance.adequacy:
            self.initial.pop("adequacy", None)

    def clean(self):
        data = super().clean()
        _not_in_future(self, "report_received_on", "The date received")
        received = data.get("report_received_on")
        if received and received < self.instance.requested_on:
            self.add_error("report_received_on", "The report cannot have come before it was asked for.")
        if data.get("adequacy") in (Adequacy.PARTLY, Adequacy.NOT_ADEQUATE) and not data.get("adequacy_comment"):
            self.add_error("adequacy_comment", "Say what is missing from the report.")
        return data


class NotAdequateForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="Why the report is not adequate",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason the report is not adequate."},
    )


def _attendee_lines(text):
    """[(name, organisation)] from lines of "Name, Organisation"; a list of the lines that are not."""
    people, bad = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _, organisation = line.partition(",")
        if not name.strip() or not organisation.strip():
            bad.append(line)
        else:
            people.append((name.strip()[:200], organisation.strip()[:200]))
    return people, bad


def partner_attendees_field(example="Sam Jones, Northshire Police"):
    """The meeting forms' free list of people from other organisations (`read_attendees` reads it)."""
    return forms.CharField(
        label="People from other organisations who attended",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"One person a line: their name, a comma, then their organisation. For example: {example}",
    )


def read_attendees(form, data):
    """`form.attendees` from its `partner_attendees` lines, or an error naming the first bad line."""
    people, bad = _attendee_lines(data.get("partner_attendees"))
    if bad:
        form.add_error(
            "partner_attendees", f"Write each person as a name, a comma, then their organisation: {bad[0][:60]}"
        )
    form.attendees = people


class MeetingForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        label="Type of meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
    )
    adult_attended = _yes_no("Did the adult attend?")
    advocate_attended = _yes_no("Did their advocate or representative attend?")
    partner_attendees = partner_attendees_field()

    class Meta:
        model = Meeting
        fields = (
            "kind",
            "held_on",
            "staff",
            "partner_attendees",
            "adult_attended",
            "advocate_attended",
            "views_brought_in",
            "decisions",
            "minutes",
        )
        widgets = {
            "held_on": DateInput(),
            "staff": forms.CheckboxSelectMultiple,
            "views_brought_in": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "views_brought_in": "Required when the adult did not attend: for example, seen beforehand and their "
            "wishes read out, or represented by their advocate."
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.meeting_staff(case)
        self.fields["staff"].label_from_instance = lambda user: user.display_name
        self.fields["decisions"].error_messages["required"] = "Enter the decisions made."

    def clean(self):
        data = super().clean()
        _not_in_future(self, "held_on", "The date held")
        if data.get("adult_attended") is False and not data.get("views_brought_in"):
            self.add_error("views_brought_in", "The adult did not attend: say how their views were brought in.")
        read_attendees(self, data)
        return data


class MeetingActionForm(PlanActionForm):
    """One action agreed at the meeting, added to the protection plan as it is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["rows"] = 2
        self.fields["for_the_person"].widget.attrs["rows"] = 1


ACTION_ROWS = 3
MeetingActionFormSet = forms.formset_factory(MeetingActionForm, extra=ACTION_ROWS, max_num=ACTION_ROWS)


def meeting_actions(data=None):
    """The meeting's action rows. The page always offers ACTION_ROWS rows, so the row count is
    set here, not read from the browser: a missing or altered count never loses what was typed."""
    if data is not None:
        data = data.copy()
        data.update({"action-TOTAL_FORMS": str(ACTION_ROWS), "action-INITIAL_FORMS": "0"})
    return MeetingActionFormSet(data, prefix="action")


class InformationShareForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    direction = forms.ChoiceField(
        label="Shared or received",
        choices=ShareDirection.choices,
        widget=forms.RadioSelect,
    )
    categories = forms.MultipleChoiceField(
        label="What information",
        choices=ShareCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of information."},
    )
    partner = _organisation_field(required=False, label="Partner organisation")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
    )
    consented = _yes_no("Did the adult consent?")
    no_consent_reason = forms.ChoiceField(
        label="Why it was shared without consent",
        choices=NoConsentReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    adult_told = forms.TypedChoiceField(
        label="Was the adult told it was shared?",
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda v: v in (True, "True", "true", "1"),
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = InformationShare
        fields = services.SHARE_FIELDS
        widgets = {
            "details": forms.Textarea(attrs={"rows": 3}),
            "shared_on": DateInput(),
            "no_consent_detail": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"other_organisation": "When it is not on the list of partner organisations."}

    def clean(self):
        data = super().clean()
        _not_in_future(self, "shared_on", "The date")
        if not data.get("partner") and not data.get("other_organisation"):
            self.add_error("partner", "Choose the partner organisation, or name the organisation or person.")
        elif data.get("partner") and data.get("other_organisation"):
            self.add_error("other_organisation", "Choose a partner organisation or name another one, not both.")
        if data.get("consented") is False:
            if not data.get("no_consent_reason"):
                self.add_error("no_consent_reason", "Say why it was shared without the adult's consent.")
            if data.get("adult_told") is None:
                self.add_error("adult_told", "Say whether the adult was told it was shared.")
        elif data.get("consented"):
            data["no_consent_reason"], data["no_consent_detail"], data["adult_told"] = "", "", None
        return data


class ShareReviewForm(TextLimitsMixin, forms.Form):
    comment = forms.CharField(label="Your comment (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


REAL_DATE = {"invalid": "Enter a real date."}


class ProviderPeriodForm(TextLimitsMixin, forms.Form):
    """The provider page's period: by default the last three calendar months (this one included)."""

    start = forms.DateField(label="From", required=False, widget=DateInput(), error_messages=REAL_DATE)
    end = forms.DateField(label="To", required=False, widget=DateInput(), error_messages=REAL_DATE)
    team = forms.ModelChoiceField(queryset=None, required=False, empty_label="All your teams")

    def __init__(self, data=None, *, user, today=None, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["team"].queryset = teams_of(user)
        first = self.today.replace(day=1)
        for _ in range(2):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        self.default_start = first
        self.fields["start"].initial, self.fields["end"].initial = first, self.today

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start") or self.default_start
        end = cleaned.get("end") or self.today
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if start > end:
            self.add_error("end", "The end of the period must be on or after its start.")
        elif (end - start).days >= selectors.LONGEST_PERIOD_DAYS:
            self.add_error("start", "Choose a period of at most a year.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self):
        """(start, end, team) chosen, or the default period for all the user's teams when invalid."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data.get("team")
        return self.default_start, self.today, None
