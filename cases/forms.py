"""Forms for the case journey. Each groups its fields in fieldsets with legends (crispy-forms)."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict
from django.utils import timezone

from accounts.text import TextLimitsMixin

from .codes import AbuseType, DecisionOutcome, LocationOfRisk, SourceOfRisk
from .columns import CONCERN_FIELDS, DECISION_FIELDS, PERSON_FIELDS
from .models import Case, Decision, Person, RestrictionReason
from .risks import MAX_RISKS
from .selectors import CaseloadLabels
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


NO_CONDITION = "none"


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
        # SG1e: never answered for the practitioner (nothing is chosen on a new person), and
        # "neither" is an answer of its own, stored as blank.
        condition = self.fields["health_condition"]
        condition.choices = [(NO_CONDITION, "Neither, or not known")] + list(condition.choices)[1:]
        condition.widget = forms.RadioSelect(choices=condition.choices)
        if self.instance.pk and not self.instance.health_condition:
            self.initial["health_condition"] = NO_CONDITION
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
                "health_condition",
                "communication_needs",
                "address",
                "representative_contacts",
            ),
        )

    def clean_health_condition(self):
        value = self.cleaned_data.get("health_condition", "")
        return "" if value == NO_CONDITION else value

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
    """The concern as it was raised (its risks are a `RiskFormSet` beside it)."""

    class Meta:
        model = Case
        fields = ["team", *CONCERN_FIELDS]
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
        }

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("referrer_name", "what_happened"):
            self.fields[name].required = True
        if "team" in self.fields:
            self.fields["team"].queryset = teams
            self.fields["team"].empty_label = None if teams is not None and len(teams) == 1 else "Choose a team"
        if self.instance.pk is None and not self.is_bound:
            # A concern is usually recorded as it comes in: start at now (to the minute), in local time.
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
        # The risks are rendered between these two parts (templates/cases/_risks.html).
        self.helper = _helper(
            Fieldset(
                "The concern",
                *(["team"] if "team" in self.fields else []),
                "received_at",
                "referrer_name",
                "referrer_agency",
                "referrer_relationship",
                "referrer_type",
                "what_happened",
            ),
        )
        self.helper_after_risks = _helper(
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
        return {name: value for name, value in self.cleaned_data.items() if name not in ("team", "version")}


class ConcernEditForm(ConcernForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(ConcernForm.Meta):
        fields = [f for f in ConcernForm.Meta.fields if f != "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper_after_risks.layout.append("version")
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)


class RiskForm(TextLimitsMixin, forms.Form):
    """One risk: an allegation (what happened, where, and who may be causing the harm)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    types = forms.MultipleChoiceField(
        label="Types of abuse or neglect",
        choices=AbuseType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every type that applies to this risk.",
        error_messages={"required": "Choose at least one type of abuse or neglect."},
    )
    location = forms.ChoiceField(
        label="Where it happened",
        choices=[("", "Choose where it happened")] + list(LocationOfRisk.choices),
        error_messages={"required": "Choose where it happened."},
    )
    source = forms.ChoiceField(
        label="Who may be causing the harm",
        choices=[("", "Choose who may be causing the harm")] + list(SourceOfRisk.choices),
        error_messages={"required": "Choose who may be causing the harm."},
    )
    provider = forms.ChoiceField(
        label="Which service provider",
        required=False,
        help_text="Only when a service provider may be causing the harm. Safeguarding leads keep the list of "
        "providers (the partner organisations).",
        error_messages={"invalid_choice": "Choose a service provider from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices(self.initial.get("provider"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("provider") and cleaned.get("source") != SourceOfRisk.SERVICE_PROVIDER:
            self.add_error("provider", "Name a service provider only when a service provider may be causing the harm.")
        return cleaned

    def risk_data(self):
        data = {name: self.cleaned_data[name] for name in ("types", "location", "source")}
        data["provider"] = int(self.cleaned_data["provider"]) if self.cleaned_data.get("provider") else None
        if self.cleaned_data.get("id"):
            data["id"] = self.cleaned_data["id"]
        return data


def provider_choices(current=None):
    """The providers a risk can name: the active ones (and the one already named, if any)."""
    from partnership.models import PartnerOrganisation

    named = Q(pk=current) if current else Q(pk__in=[])
    providers = PartnerOrganisation.objects.providers().filter(Q(active=True) | named).values_list("pk", "name")
    return [("", "Not named, or not on the list")] + [(str(pk), name) for pk, name in providers]


class BaseRiskFormSet(forms.BaseFormSet):
    """The concern's risks: one or more, each its own fieldset ("Risk 1", "Risk 2", ...)."""

    default_error_messages = {
        "too_few_forms": "Record at least one risk.",
        "too_many_forms": f"A concern can have at most {MAX_RISKS} risks.",
    }

    def __init__(self, *args, removable_ids=None, **kwargs):
        kwargs.setdefault("prefix", RISK_PREFIX)
        super().__init__(*args, **kwargs)
        # Saved risks that may be removed (None: all of them).
        self.removable_ids = removable_ids

    def get_form_kwargs(self, index):
        # A risk added with "Add another risk" and left blank is an error, not silently dropped.
        return {"empty_permitted": False, "use_required_attribute": False}

    def risks(self):
        return [form.risk_data() for form in self.forms]

    def can_remove(self, form):
        if len(self.forms) < 2:
            return False
        saved = form["id"].value()
        return self.removable_ids is None or not saved or int(saved) in self.removable_ids

    @property
    def rows(self):
        return [(number, form, self.can_remove(form)) for number, form in enumerate(self.forms, start=1)]

    @property
    def can_add(self):
        return len(self.forms) < MAX_RISKS

    def focus_last(self):
        """Start the page on the first box of the last risk (the one just added)."""
        self.forms[-1].fields["types"].widget.attrs["autofocus"] = True


RISK_PREFIX = "risk"
RiskFormSet = forms.formset_factory(
    RiskForm, formset=BaseRiskFormSet, extra=0, min_num=1, validate_min=True, max_num=MAX_RISKS, validate_max=True
)

RISK_ACTION = "risk_action"
_RISK_FIELDS = ("id", "types", "location", "source", "provider")


def risk_formset_initial(case):
    return [
        {
            "id": risk.pk,
            "types": risk.type_codes(),
            "location": risk.location,
            "source": risk.source,
            "provider": risk.provider_id,
        }
        for risk in case.risks.prefetch_related("types")
    ]


def apply_risk_action(data):
    """The posted data after "Add another risk" or "Remove risk N" (buttons that submit the form,
    so they work without JavaScript): a blank risk added at the end, or risk N taken out and the
    ones after it moved up. Returns (data, message for the page, id of the element to go to)."""
    action = data.get(RISK_ACTION, "")
    total = _int(data.get(f"{RISK_PREFIX}-TOTAL_FORMS"), 1)
    total = max(1, min(total, MAX_RISKS))
    risks = [{name: data.getlist(f"{RISK_PREFIX}-{index}-{name}") for name in _RISK_FIELDS} for index in range(total)]
    message, focus = "", "risks"
    if action == "add" and total < MAX_RISKS:
        risks.append({})
        message, focus = f"Risk {len(risks)} added.", f"risk-{len(risks)}"
    elif action.startswith("remove-") and total > 1:
        index = _int(action.removeprefix("remove-"), -1)
        if 0 <= index < total:
            del risks[index]
            message = f"Risk {index + 1} removed. The concern now has {len(risks)} risk{'s' if len(risks) > 1 else ''}."
            focus = "risk-status"
    result = QueryDict(mutable=True)
    for key in data:
        if not key.startswith(f"{RISK_PREFIX}-") and key != RISK_ACTION:
            result.setlist(key, data.getlist(key))
    for index, risk in enumerate(risks):
        for name, values in risk.items():
            result.setlist(f"{RISK_PREFIX}-{index}-{name}", values)
    result[f"{RISK_PREFIX}-TOTAL_FORMS"] = str(len(risks))
    result[f"{RISK_PREFIX}-INITIAL_FORMS"] = "0"
    result[f"{RISK_PREFIX}-MIN_NUM_FORMS"] = "1"
    result[f"{RISK_PREFIX}-MAX_NUM_FORMS"] = str(MAX_RISKS)
    return result, message, focus


def posted_risk_action(request):
    """(form data, message, element to focus) of a concern form's request: `apply_risk_action`
    after "Add another risk" / "Remove risk N", the POST as sent otherwise, nothing on a GET."""
    if request.method != "POST":
        return None, "", ""
    if RISK_ACTION not in request.POST:
        return request.POST, "", ""
    return apply_risk_action(request.POST)


def concern_page_context(*, person_form, concern_form, match_form, risk_formset, risk_message, risk_focus):
    """The template context of a page built on `cases/_concern_fields.html` ("Record a concern",
    the front door's "Turn into a concern"). After a risk action nothing is an error yet."""
    forms_shown = [match_form, person_form, concern_form]
    risks_invalid = risk_formset.is_bound and not risk_message and not risk_focus and not risk_formset.is_valid()
    return {
        "person_form": person_form,
        "concern_form": concern_form,
        "match_form": match_form,
        "risk_formset": risk_formset,
        "risk_message": risk_message,
        "risk_focus": risk_focus,
        "error_forms": forms_shown,
        "has_errors": any(f is not None and f.errors for f in forms_shown) or risks_invalid,
    }


def without_errors(*forms_and_formsets):
    """Show bound forms again as typed, without checking them: after "Add another risk" the
    page is not being submitted, so nothing is an error yet."""
    for item in forms_and_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            item._errors, item._non_form_errors = [ErrorDict() for _ in item.forms], ErrorList()
            without_errors(*item.forms)
        else:
            item._errors = ErrorDict()


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class RiskCorrectionForm(RiskForm):
    """Correct a risk during the enquiry: why (kept in its history) and the version it was read at."""

    change_reason = forms.CharField(
        label="Why it is being corrected",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the location was recorded wrongly. The earlier version is kept in the risk's history.",
        error_messages={"required": "Say why the risk is being corrected."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, risk, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "types": risk.type_codes(),
                "location": risk.location,
                "source": risk.source,
                "provider": risk.provider_id,
                "version": risk.version,
            },
        )
        super().__init__(*args, **kwargs)
        del self.fields["id"]
        self.helper = _helper(Div("types", "location", "source", "provider", "change_reason", "version"))


class RiskAddForm(RiskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["id"]
        self.helper = _helper(Div("types", "location", "source", "provider"))


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

    def __init__(self, *args, practitioners, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_practitioner"].queryset = practitioners
        self.fields["lead_practitioner"].label_from_instance = CaseloadLabels(practitioners, viewer=viewer)
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
