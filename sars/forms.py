"""Forms of the Safeguarding Adults Reviews register. The criteria, the decision and what happened
to each person are answered on the form: none has a default."""

from django import forms
from django.utils import timezone

from accounts.text import TextLimitsMixin

from .models import STAGES, Criteria, Decision, Harm, Recommendation, RecommendationStatus, SafeguardingAdultsReview

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}.",
            "invalid": f"Enter {label.lower()} as a real date.",
        },
    )


class ReviewForm(TextLimitsMixin, forms.ModelForm):
    """A referral for a review and, as it goes on, its decision, stages and conclusion."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    referred_on = _date_field("Date of referral", required=True)
    criteria = forms.ChoiceField(
        label="Criteria considered",
        choices=Criteria.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the criteria the referral was considered under."},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Leave it unanswered until the board has decided.",
    )
    decided_on = _date_field("Date of decision")
    scoping_on = _date_field(dict(STAGES)["scoping_on"])
    panel_on = _date_field(dict(STAGES)["panel_on"])
    report_drafted_on = _date_field(dict(STAGES)["report_drafted_on"])
    report_published_on = _date_field(dict(STAGES)["report_published_on"])
    concluded_on = _date_field(
        "Date concluded", help_text="When the board signed the review off. Concluded reviews count in the SAC (SG5)."
    )

    class Meta:
        model = SafeguardingAdultsReview
        fields = ["referred_on", "criteria", "decision", "decided_on", "reviewer", *dict(STAGES), "concluded_on"]
        help_texts = {"reviewer": "The independent reviewer or reviewing organisation. Not the adult's name."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in ("criteria", "decision"):
                self.initial.pop(name, None)
        else:
            self.initial.setdefault("version", self.instance.version)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        referred = data.get("referred_on")
        decision, decided = data.get("decision"), data.get("decided_on")
        dates = ["referred_on", "decided_on", *dict(STAGES), "concluded_on"]
        for name in dates:
            value = data.get(name)
            if value and value > today:
                self.add_error(name, f"{self.fields[name].label} cannot be in the future.")
            elif value and referred and name != "referred_on" and value < referred:
                self.add_error(name, f"{self.fields[name].label} cannot be before the referral.")
        if decision and not decided:
            self.add_error("decided_on", "Enter the date of the decision.")
        if decided and not decision:
            self.add_error("decision", "Choose the decision, or clear the date of decision.")
        if decision != Decision.PROCEED:
            for name in [*dict(STAGES), "concluded_on"]:
                if data.get(name):
                    self.add_error(
                        name, f"{self.fields[name].label}: only a review the board proceeds with has stages."
                    )
        concluded = data.get("concluded_on")
        if concluded and decided and concluded < decided:
            self.add_error("concluded_on", "Date concluded cannot be before the date of decision.")
        return data


class PersonForm(TextLimitsMixin, forms.Form):
    """A person the review is about, and (optionally) their case record."""

    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the person's name."})
    harm = forms.ChoiceField(
        label="What happened to them",
        choices=Harm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the person died or suffered serious harm and survived."},
    )
    case_ref = forms.CharField(
        label="Case reference (optional)",
        required=False,
        max_length=40,
        help_text="Links the person to their case record. Only a case you can open can be linked.",
    )

    def __init__(self, *args, find_case, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_case = find_case

    def clean_case_ref(self):
        ref = self.cleaned_data["case_ref"].strip()
        self.case = None
        if ref:
            self.case = self.find_case(ref)
            if self.case is None:
                raise forms.ValidationError(f"There is no case {ref} that you can open. Check the reference.")
        return ref


class RecommendationForm(TextLimitsMixin, forms.ModelForm):
    """A finding and its recommendation, its owner and its progress."""

    status = forms.ChoiceField(label="Status", choices=RecommendationStatus.choices, widget=forms.RadioSelect)
    completed_on = _date_field("Date completed", help_text="Only when the status is Completed.")

    class Meta:
        model = Recommendation
        fields = ["finding", "text", "owner", "status", "completed_on"]
        widgets = {"finding": forms.Textarea(attrs={"rows": 3}), "text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "finding": "What the review found (the learning). No names.",
            "owner": "The agency or role responsible for carrying it out.",
        }
        error_messages = {
            "text": {"required": "Enter the recommendation."},
            "owner": {"required": "Enter who owns the recommendation."},
        }

    def clean(self):
        data = super().clean()
        status, completed = data.get("status"), data.get("completed_on")
        if status == RecommendationStatus.COMPLETED and not completed:
            self.add_error("completed_on", "Enter the date the recommendation was completed.")
        if completed and status != RecommendationStatus.COMPLETED:
            self.add_error(
                "completed_on", "A date completed is only for a completed recommendation: clear it or choose Completed."
            )
        if completed and completed > timezone.localdate():
            self.add_error("completed_on", "Date completed cannot be in the future.")
        return data
