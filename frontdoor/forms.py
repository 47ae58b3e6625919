"""The public form's pages (one question, or one small group, per page) and the staff forms.

Every public page's form carries the honeypot `website`: hidden from people (and from screen
readers), so only a robot fills it in. Every text field has its limit (`TextLimitsMixin`).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone

from accounts.models import Team
from accounts.text import TextLimitsMixin
from cases.codes import LocationOfRisk, ReferrerType
from cases.validators import validate_nhs_number
from msp.public import HONEYPOT, HoneypotForm

from .models import AdultAgrees, AdultKnows, HarmSource, ImmediateDanger

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PublicStepForm(HoneypotForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        shown = [name for name in self.fields if name != HONEYPOT]
        self.helper.layout = Layout(*shown, Div(HONEYPOT, css_class="fd-honeypot", **{"aria-hidden": "true"}))

    def answers(self):
        """What this page adds to the submission (the honeypot is never kept)."""
        return {k: v for k, v in self.cleaned_data.items() if k != HONEYPOT}


def _radio(label, choices, required_message, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


class WhoForm(PublicStepForm):
    reporter = _radio(
        "Are you reporting as a member of the public or as part of your work?",
        [
            ("public", "As a member of the public (including family, a friend or a neighbour)"),
            ("professional", "As part of my work (for example police, health, a care provider or housing)"),
        ],
        "Choose whether you are reporting as a member of the public or as part of your work.",
    )

    def answers(self):
        return {"reporter": self.cleaned_data["reporter"]}


class PublicReferrerForm(PublicStepForm):
    referrer_name = forms.CharField(label="Your name", required=False, help_text="Optional.")
    referrer_relationship = forms.CharField(
        label="How do you know the adult?", required=False, help_text="Optional. For example, neighbour or daughter."
    )
    referrer_email = forms.EmailField(
        label="Your email address",
        required=False,
        help_text="Optional. We will email you a reference for your report, with nothing about the adult in it.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com."},
    )
    referrer_phone = forms.CharField(label="Your phone number", required=False, max_length=40, help_text="Optional.")

    def answers(self):
        return {**super().answers(), "referrer_type": ReferrerType.PUBLIC}


class ProfessionalReferrerForm(PublicStepForm):
    referrer_type = _radio(
        "Which sector do you work in?",
        [(c.value, c.label) for c in ReferrerType if c != ReferrerType.PUBLIC],
        "Choose the sector you work in.",
    )
    referrer_organisation = forms.CharField(
        label="Organisation", error_messages={"required": "Enter the name of your organisation."}
    )
    referrer_role = forms.CharField(
        label="Job title or role", error_messages={"required": "Enter your job title or role."}
    )
    referrer_name = forms.CharField(label="Your name", error_messages={"required": "Enter your name."})
    referrer_email = forms.EmailField(
        label="Work email address",
        help_text="We send the reference, and updates the team can share, to this address.",
        error_messages={
            "required": "Enter your work email address.",
            "invalid": "Enter an email address in the correct format, like name@example.org.",
        },
    )
    referrer_phone = forms.CharField(label="Work phone number", required=False, max_length=40, help_text="Optional.")
    referrer_relationship = forms.CharField(
        label="Your relationship to the adult", required=False, help_text="Optional. For example, their GP."
    )


class ConsentForm(PublicStepForm):
    adult_knows = _radio(
        "Does the adult know you are reporting this?",
        AdultKnows.choices,
        "Choose whether the adult knows you are reporting this.",
    )
    adult_agrees = _radio(
        "Do they agree to you reporting it?",
        AdultAgrees.choices,
        "Choose whether the adult agrees to you reporting it.",
        required=False,
        help_text="Answer this if they know.",
    )
    adult_not_agreed_reason = forms.CharField(
        label="If they do not know, or do not agree, tell us why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="You can still report a concern without their agreement, for example if others are at risk.",
    )

    def clean(self):
        cleaned = super().clean()
        knows, agrees = cleaned.get("adult_knows"), cleaned.get("adult_agrees")
        if knows == AdultKnows.YES and not agrees:
            self.add_error("adult_agrees", "Choose whether the adult agrees to you reporting it.")
        if knows != AdultKnows.YES:
            cleaned["adult_agrees"] = ""
        needs_reason = (knows and knows != AdultKnows.YES) or agrees in (AdultAgrees.NO, AdultAgrees.NOT_ASKED)
        if needs_reason and not (cleaned.get("adult_not_agreed_reason") or "").strip():
            self.add_error("adult_not_agreed_reason", "Tell us why the adult does not know or does not agree.")
        return cleaned


class AdultForm(PublicStepForm):
    adult_name = forms.CharField(label="Their full name", error_messages={"required": "Enter the adult's name."})
    adult_preferred_name = forms.CharField(
        label="What they like to be called", required=False, help_text="Optional, if different."
    )
    adult_date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=DATE_INPUT,
        help_text="If you do not know it, give their approximate age below.",
        error_messages={"invalid": "Enter the date of birth as a real date, for example 27 March 1950."},
    )
    adult_approximate_age = forms.IntegerField(
        label="Approximate age",
        required=False,
        min_value=18,
        max_value=120,
        error_messages={
            "invalid": "Enter the approximate age as a number, for example 80.",
            "min_value": "This form is for adults: the age must be 18 or over.",
            "max_value": "Enter an age of 120 or under.",
        },
    )
    adult_address = forms.CharField(
        label="Their address", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="If you know it."
    )
    adult_nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=12, help_text="Optional. Ten digits, spaces allowed."
    )
    adult_communication_needs = forms.CharField(
        label="Communication needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example an interpreter (which language), BSL, easy read or large print.",
    )

    def clean_adult_nhs_number(self):
        digits = "".join(self.cleaned_data.get("adult_nhs_number", "").split())
        if digits:
            validate_nhs_number(digits)
        return digits

    def clean_adult_date_of_birth(self):
        dob = self.cleaned_data.get("adult_date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        if dob and dob.year < 1880:
            raise forms.ValidationError("Enter a date of birth after 1880.")
        return dob

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("adult_date_of_birth") and cleaned.get("adult_approximate_age") is None:
            self.add_error("adult_date_of_birth", "Enter their date of birth or their approximate age.")
        return cleaned


class WhatHappenedForm(PublicStepForm):
    what_happened = forms.CharField(
        label="What happened, or what are you worried about?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what happened or what you are worried about."},
    )
    when_happened = forms.CharField(
        label="When did it happen?", required=False, help_text="Optional. For example, last Tuesday, or ongoing."
    )
    where_happened = _radio(
        "Where did it happen?",
        [*LocationOfRisk.choices, ("not_sure", "I don't know")],
        "Choose where it happened, or “I don't know”.",
    )
    where_details = forms.CharField(
        label="Anything more about where", required=False, help_text="Optional. For example, the name of a care home."
    )


OTHERS = [("children", "Children"), ("adults", "Other adults"), ("none", "No one else that I know of")]


class HarmForm(PublicStepForm):
    harm_source = _radio(
        "Who may be causing the harm?", HarmSource.choices, "Choose who may be causing the harm, or “I don't know”."
    )
    harm_details = forms.CharField(
        label="Tell us about them, if you can",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. For example, their name or their relationship to the adult.",
    )
    others_at_risk = forms.MultipleChoiceField(
        label="Is anyone else at risk from the same person or situation?",
        choices=OTHERS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose who else is at risk, or “No one else that I know of”.",
            "invalid_choice": "Choose who else is at risk, or “No one else that I know of”.",
        },
    )

    def clean_others_at_risk(self):
        chosen = self.cleaned_data["others_at_risk"]
        if "none" in chosen and len(chosen) > 1:
            raise forms.ValidationError("Choose “No one else that I know of” on its own, or who else is at risk.")
        return chosen

    def answers(self):
        chosen = self.cleaned_data["others_at_risk"]
        return {
            "harm_source": self.cleaned_data["harm_source"],
            "harm_details": self.cleaned_data["harm_details"],
            "others_at_risk_children": "children" in chosen,
            "others_at_risk_adults": "adults" in chosen,
        }


class DangerForm(PublicStepForm):
    immediate_danger = _radio(
        "Is the adult, or anyone else, in immediate danger now?",
        ImmediateDanger.choices,
        "Choose whether anyone is in immediate danger.",
    )


class NotSafeguardingForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="Why this is not a safeguarding concern",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason this is not a safeguarding concern."},
    )
    signposting = forms.CharField(
        label="Where the person was signposted",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the council's adult social care contact centre, their GP, or Citizens Advice.",
        error_messages={"required": "Say where the person was signposted."},
    )


class FrontDoorTeamForm(TextLimitsMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Team that screens concerns raised online",
        queryset=Team.objects.order_by("name"),
        empty_label="Choose a team",
        error_messages={"required": "Choose the team that screens concerns raised online."},
    )


class ReferrerFeedbackForm(TextLimitsMixin, forms.Form):
    shared_on = forms.DateField(
        label="When it was shared",
        widget=DATE_INPUT,
        error_messages={"required": "Enter the date it was shared.", "invalid": "Enter a real date."},
    )
    what_was_shared = forms.CharField(
        label="What was shared with the referrer",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only what they need to know, for example that an enquiry has started. If you email it, this text is "
        "the update: do not include the adult's name or anything they did not already tell us.",
        error_messages={"required": "Say what was shared with the referrer."},
    )
    withheld_reason = forms.CharField(
        label="Anything withheld, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the adult asked that their family are not told the outcome.",
    )
    send_email = forms.BooleanField(label="Email this update to the referrer's work address", required=False)

    def __init__(self, *args, can_email=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("shared_on", timezone.localdate())
        if not can_email:
            del self.fields["send_email"]

    def clean_shared_on(self):
        shared = self.cleaned_data["shared_on"]
        if shared > timezone.localdate():
            raise forms.ValidationError("The date shared cannot be in the future.")
        return shared
