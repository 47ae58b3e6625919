"""Forms for people alleged to have caused harm. Every answer about the person is a choice
with nothing preselected; dates are checked against today; what was typed is kept."""

from django import forms

from accounts.text import TextLimitsMixin
from outcomes.forms import DateInput
from partnership.forms import _not_in_future
from partnership.models import PartnerOrganisation

from . import selectors
from .models import CareNeeds, PositionOfTrust, ReferralOutcome, Relationship, TrustReferral
from .services import RemovalReason

REAL_DATE = "Enter a real date."


def _radio(label, choices, message, **kwargs):
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": message}, **kwargs
    )


class PersonFieldsMixin:
    """The person's own details, as fields of a form (new on a risk, or corrected by a lead)."""

    def add_person_fields(self):
        self.fields["name"] = forms.CharField(
            label="Their full name", max_length=200, required=False, error_messages={"required": "Enter their name."}
        )
        self.fields["date_of_birth"] = forms.DateField(
            label="Their date of birth", required=False, widget=DateInput(), help_text="If known.",
            error_messages={"invalid": REAL_DATE},
        )  # fmt: skip
        self.fields["care_needs"] = _radio(
            "Are they an adult with care and support needs themselves?",
            CareNeeds.choices,
            "Say whether they have care and support needs themselves, or that it is not known.",
            required=False,
        )
        self.fields["position_of_trust"] = _radio(
            "Are they in a position of trust?",
            PositionOfTrust.choices,
            "Say whether they are in a position of trust, or that it is not known.",
            required=False,
            help_text="Employed or volunteering in work with adults with care and support needs, or with children.",
        )
        self.fields["employer"] = forms.CharField(
            label="Their employer or organisation", max_length=200, required=False,
            help_text="Where they work or volunteer, if known.",
        )  # fmt: skip
        self.fields["provider"] = forms.ModelChoiceField(
            label="The provider they work for, if it is on the partner list",
            queryset=PartnerOrganisation.objects.providers().filter(active=True),
            required=False,
            empty_label="Not on the list, or not a provider",
        )

    def clean_person(self, *, needed):
        """Check the person's fields when `needed` (a new person, or a lead's correction)."""
        data = self.cleaned_data
        if not needed:
            return
        for name, message in (
            ("name", "Enter their name."),
            ("care_needs", self.fields["care_needs"].error_messages["required"]),
            ("position_of_trust", self.fields["position_of_trust"].error_messages["required"]),
        ):
            if not (data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, message)
        _not_in_future(self, "date_of_birth", "Their date of birth")

    def person_data(self):
        return {
            name: self.cleaned_data.get(name)
            for name in ("name", "date_of_birth", "care_needs", "position_of_trust", "employer", "provider")
        }


class NameOnRiskForm(TextLimitsMixin, PersonFieldsMixin, forms.Form):
    """Name a person on one of the case's risks: someone already named on the case, or someone new."""

    NEW = "new"

    def __init__(self, *args, risks, named, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"] = forms.TypedChoiceField(
            label="Which risk",
            coerce=int,
            choices=[("", "Choose the risk")] + [(r.pk, _risk_label(r)) for r in risks],
            error_messages={"required": "Choose the risk.", "invalid_choice": "Choose one of this case's risks."},
        )
        self.named = {p.pk: p for p in named}
        if named:
            self.fields["who"] = _radio(
                "Who",
                [(str(p.pk), f"{p.name}, already named on this case") for p in named]
                + [(self.NEW, "Someone not yet named on this case")],
                "Choose the person, or someone not yet named on this case.",
            )
        self.fields["relationship"] = _radio(
            "Their relationship to the adult", Relationship.choices, "Choose their relationship to the adult."
        )
        self.add_person_fields()

    @property
    def new_person(self):
        return not self.named or self.cleaned_data.get("who") == self.NEW

    def clean(self):
        data = super().clean()
        if self.named and not data.get("who"):
            return data
        self.clean_person(needed=self.new_person)
        return data

    @property
    def existing_person(self):
        return None if self.new_person else self.named.get(int(self.cleaned_data["who"]))


def _risk_label(risk):
    types = risk.types_display() or "types not recorded"
    return f"Risk {risk.number}: {types}; {risk.get_location_display()}; {risk.source_display()}"


class PersonForm(TextLimitsMixin, PersonFieldsMixin, forms.Form):
    """A lead corrects the person's details."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_person_fields()

    def clean(self):
        data = super().clean()
        self.clean_person(needed=True)
        return data


class NameSearchForm(TextLimitsMixin, forms.Form):
    """The register's name search (posted, so the words never reach the address)."""

    name = forms.CharField(label="Name", max_length=200, required=False)


class RemoveForm(forms.Form):
    reason = _radio("Why take them off this risk", RemovalReason.CHOICES, "Say why they are being taken off the risk.")


class MergeForm(TextLimitsMixin, forms.Form):
    """Merge another record into this one, once the lead has checked they are the same person."""

    other = forms.CharField(
        label="The other record's reference",
        max_length=20,
        help_text="For example PA-00012, from the register.",
        error_messages={"required": "Enter the reference of the other record."},
    )
    same_person = forms.BooleanField(
        label="I have checked that these records are the same person",
        error_messages={"required": "Confirm that you have checked they are the same person."},
    )

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.user = person, user

    def clean_other(self):
        value = self.cleaned_data["other"].strip().upper().removeprefix("PA-")
        if not value.isdigit():
            raise forms.ValidationError("Enter a reference like PA-00012.")
        other = selectors.visible_current(self.user, int(value))
        if other is None:
            raise forms.ValidationError("There is no current record with that reference.")
        if other.pk == self.person.pk:
            raise forms.ValidationError("That is this record: enter the other one.")
        return other


class ReferralForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = TrustReferral
        fields = ["employer", "referred_on", "case", "outcome", "outcome_on", "outcome_notes"]
        widgets = {
            "referred_on": DateInput(),
            "outcome_on": DateInput(),
            "outcome": forms.RadioSelect,
            "outcome_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "employer": {"required": "Enter the employer or organisation referred to."},
            "referred_on": {"required": "Enter the date of the referral.", "invalid": REAL_DATE},
            "outcome": {"required": "Choose the outcome, or that it is awaited."},
            "outcome_on": {"invalid": REAL_DATE},
        }

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = ReferralOutcome.choices
        if "case" in self.fields and cases:
            self.fields["case"].queryset = self.fields["case"].queryset.filter(pk__in=[c.pk for c in cases])
            self.fields["case"].label_from_instance = lambda case: case.ref
            self.fields["case"].empty_label = "Not about one case"
        elif "case" in self.fields:
            del self.fields["case"]

    def clean(self):
        data = super().clean()
        _not_in_future(self, "referred_on", "The date referred")
        _not_in_future(self, "outcome_on", "The date of the outcome")
        outcome, outcome_on = data.get("outcome"), data.get("outcome_on")
        if outcome and outcome != ReferralOutcome.AWAITING and not outcome_on and "outcome_on" not in self.errors:
            self.add_error("outcome_on", "Enter the date of the outcome.")
        if outcome == ReferralOutcome.AWAITING and outcome_on:
            self.add_error("outcome_on", "Leave the date empty while the outcome is awaited.")
        referred = data.get("referred_on") or getattr(self.instance, "referred_on", None)
        if outcome_on and referred and outcome_on < referred and "outcome_on" not in self.errors:
            self.add_error("outcome_on", "The outcome cannot be before the referral.")
        return data


class OutcomeForm(ReferralForm):
    """The employer's outcome of a referral already recorded (checked against the version read)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ReferralForm.Meta):
        fields = ["outcome", "outcome_on", "outcome_notes"]
