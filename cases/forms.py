"""Forms for the case journey. Each groups its fields in fieldsets with legends (crispy-forms)."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone

from accounts.text import TextLimitsMixin

from .codes import AbuseType, DecisionOutcome
from .columns import DECISION_FIELDS, PERSON_FIELDS
from .models import Case, Decision, Person, RestrictionReason
from .selectors import with_caseload_label
from .validators import validate_nhs_number

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO = [(True, "Yes"), (False, "No")]


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": "Answer yes or no."},
    )


class PersonForm(TextLimitsMixin, forms.ModelForm):
    """The adult at risk."""

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        labels = {"legal_name": "Legal name", "date_of_birth": "Date of birth"}
        help_texts = {"nhs_number": "Optional. Ten digits, spaces allowed."}
        widgets = {
            "date_of_birth": DATE_INPUT,
            "communication_needs": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "representative_contacts": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"legal_name": {"required": "Enter the adult's legal name."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People type NHS numbers in groups ("943 476 5919"): check the digits once spaces are gone.
        nhs = self.fields["nhs_number"]
        nhs.max_length = 12
        nhs.validators = []
        nhs.widget.attrs.update({"maxlength": 12, "inputmode": "numeric"})
        self.helper = _helper(
            Fieldset(
                "The adult at risk",
                "legal_name",
                "preferred_name",
                "date_of_birth",
                "nhs_number",
            ),
            Fieldset(
                "About them",
                "gender",
                "ethnicity",
                "primary_support_reason",
                "communication_needs",
                "address",
                "representative_contacts",
            ),
        )

    def clean_nhs_number(self):
        digits = "".join(self.cleaned_data.get("nhs_number", "").split())
        validate_nhs_number(digits)
        return digits

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return dob


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.append("version")
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)


class ConcernForm(TextLimitsMixin, forms.ModelForm):
    """The concern as it was raised."""

    abuse_types = forms.MultipleChoiceField(
        label="Types of abuse or neglect",
        choices=AbuseType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one type of abuse or neglect."},
    )

    class Meta:
        model = Case
        fields = [
            "team",
            "received_at",
            "referrer_name",
            "referrer_agency",
            "referrer_relationship",
            "what_happened",
            "abuse_types",
            "location_of_risk",
            "source_of_risk",
            "others_at_risk_children",
            "others_at_risk_adults",
            "immediate_actions",
            "adult_aware",
            "adult_wants",
        ]
        widgets = {
            "received_at": DATETIME_INPUT,
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "immediate_actions": forms.Textarea(attrs={"rows": 3}),
            "adult_aware": forms.RadioSelect,
            "adult_wants": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "referrer_name": "If the adult raised it themselves, say so.",
            "adult_wants": "In their own words where you can.",
        }
        error_messages = {
            "team": {"required": "Choose the team that will handle this concern."},
            "received_at": {"required": "Enter the date and time the concern was received."},
            "referrer_name": {"required": "Enter who raised the concern."},
            "what_happened": {"required": "Describe what happened."},
            "location_of_risk": {"required": "Choose where the risk is."},
            "source_of_risk": {"required": "Choose the source of the risk."},
        }

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("referrer_name", "what_happened", "location_of_risk", "source_of_risk"):
            self.fields[name].required = True
        if "team" in self.fields:
            self.fields["team"].queryset = teams
            self.fields["team"].empty_label = None if teams is not None and len(teams) == 1 else "Choose a team"
        if self.instance.pk and not self.is_bound:
            self.initial["abuse_types"] = [t.abuse_type for t in self.instance.abuse_types.all()]
        if self.instance.pk is None and not self.is_bound:
            # A concern is usually recorded as it comes in: start at now (to the minute), in local time.
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
        self.helper = _helper(
            Fieldset(
                "The concern",
                *(["team"] if "team" in self.fields else []),
                "received_at",
                "referrer_name",
                "referrer_agency",
                "referrer_relationship",
                "what_happened",
            ),
            Fieldset("The risk", "abuse_types", "location_of_risk", "source_of_risk"),
            Fieldset(
                "Others at risk and immediate safety",
                "others_at_risk_children",
                "others_at_risk_adults",
                "immediate_actions",
            ),
            Fieldset("What the adult wants", "adult_aware", "adult_wants"),
        )

    def clean_received_at(self):
        received = self.cleaned_data.get("received_at")
        if received and received > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError("The date and time received cannot be in the future.")
        stored = self.instance.received_at if self.instance.pk else None
        # The form shows minutes only: an unchanged minute keeps the stored seconds.
        if received and stored and received == stored.replace(second=0, microsecond=0):
            return stored
        return received

    def concern_data(self):
        return {
            name: value for name, value in self.cleaned_data.items() if name not in ("team", "abuse_types", "version")
        }


class ConcernEditForm(ConcernForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ConcernForm.Meta):
        fields = [f for f in ConcernForm.Meta.fields if f != "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.append("version")
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)


class PersonMatchForm(TextLimitsMixin, forms.Form):
    """Offered when the adult on a new concern may already be known."""

    existing_person = forms.ChoiceField(
        label="Is this one of these people?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the matching person, or say this is a new person."},
    )

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                str(p.pk),
                f"{p.display_name} ({p.legal_name}), born {p.date_of_birth.day} {p.date_of_birth:%B %Y}"
                if p.date_of_birth
                else p.legal_name,
            )
            for p in matches
        ]
        self.fields["existing_person"].choices = [*choices, ("new", "None of these: record a new person")]


class DecisionForm(TextLimitsMixin, forms.ModelForm):
    """The s42 test: three criteria, each with a rationale, and the proposed outcome."""

    has_care_and_support_needs = _yes_no("Does the adult have needs for care and support?")
    experiencing_abuse_or_neglect = _yes_no("Is the adult experiencing, or at risk of, abuse or neglect?")
    cannot_protect_self = _yes_no("As a result of those needs, is the adult unable to protect themselves?")

    class Meta:
        model = Decision
        fields = list(DECISION_FIELDS)
        labels = {
            "care_and_support_rationale": "Why (care and support needs)",
            "abuse_or_neglect_rationale": "Why (abuse or neglect)",
            "protect_self_rationale": "Why (able to protect themselves)",
            "outcome": "Proposed decision",
        }
        widgets = {
            "care_and_support_rationale": forms.Textarea(attrs={"rows": 2}),
            "abuse_or_neglect_rationale": forms.Textarea(attrs={"rows": 2}),
            "protect_self_rationale": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.RadioSelect,
            "signposting": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"signposting": "Required for no further safeguarding action: where the adult was signposted."}
        error_messages = {
            "care_and_support_rationale": {"required": "Give the reason for your answer about care and support needs."},
            "abuse_or_neglect_rationale": {"required": "Give the reason for your answer about abuse or neglect."},
            "protect_self_rationale": {"required": "Give the reason for your answer about protecting themselves."},
            "outcome": {"required": "Choose the proposed decision."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = DecisionOutcome.choices
        self.helper = _helper(
            Fieldset("Care and support needs", "has_care_and_support_needs", "care_and_support_rationale"),
            Fieldset("Abuse or neglect", "experiencing_abuse_or_neglect", "abuse_or_neglect_rationale"),
            Fieldset("Ability to protect themselves", "cannot_protect_self", "protect_self_rationale"),
            Fieldset("Decision", "outcome", "signposting"),
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        criteria = [
            cleaned.get(name)
            for name in ("has_care_and_support_needs", "experiencing_abuse_or_neglect", "cannot_protect_self")
        ]
        if outcome == DecisionOutcome.S42 and None not in criteria and not all(criteria):
            self.add_error(
                "outcome",
                "A section 42 enquiry needs all three criteria to be met. Choose another safeguarding enquiry, "
                "or no further safeguarding action.",
            )
        if outcome == DecisionOutcome.NO_FURTHER_ACTION and not (cleaned.get("signposting") or "").strip():
            self.add_error("signposting", "Say where the adult was signposted, or which other service was offered.")
        return cleaned


class DecisionReviewForm(TextLimitsMixin, forms.Form):
    action = forms.ChoiceField(
        label="Your review",
        choices=[("sign_off", "Sign off this decision"), ("return", "Return it with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to sign off or return the decision."},
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the practitioner on the case. Required when you return the decision.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Fieldset("Sign-off", "action", "comments"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Say why you are returning the decision.")
        return cleaned


class AllocationForm(TextLimitsMixin, forms.Form):
    lead_practitioner = forms.ModelChoiceField(
        label="Lead practitioner",
        queryset=None,
        empty_label="Choose a member of the team",
        error_messages={"required": "Choose the lead practitioner."},
    )
    # The enquiry version this form was built from: a later allocation by someone else is a conflict.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "This page is out of date: check who leads the enquiry now and choose again."},
    )

    def __init__(self, *args, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_practitioner"].queryset = practitioners
        self.fields["lead_practitioner"].label_from_instance = with_caseload_label
        self.helper = _helper(Div("lead_practitioner"), "version")


class ReopenForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for reopening the case."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Div("reason"))


class RestrictionForm(TextLimitsMixin, forms.Form):
    """Restrict a case to named users (or lift the restriction). The person restricting it
    stays named; naming anyone else follows the grant rule (accounts.services)."""

    restricted = forms.TypedChoiceField(
        label="Who may see this case?",
        choices=[(False, "Everyone who works with the team's cases"), (True, "Only the users named below")],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label="Why is it restricted?",
        choices=[("", "Choose a reason")] + list(RestrictionReason.choices),
        required=False,
    )
    named = forms.ModelMultipleChoiceField(
        label="Users named on the case",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You stay named. A safeguarding lead approves anyone you add, unless you are a lead.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = candidates
        self.fields["named"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"
        self.helper = _helper(Div("restricted", "reason", "named"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("restricted") and not cleaned.get("reason"):
            self.add_error("reason", "Choose why the case is restricted.")
        return cleaned
