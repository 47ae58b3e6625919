"""Forms for MSP records. Each bad input gets a message next to its field (and in the summary)."""

from django import forms
from django.utils import timezone

from accounts.text import TextLimitsMixin
from cases.codes import RISK_IDENTIFIED, RiskAssessment, RiskResult

from . import services
from .models import (
    I_STATEMENTS,
    Achievement,
    Advocacy,
    CapacityAssessment,
    CapacityOutcome,
    ClosureReview,
    Conversation,
    DeclinedSupport,
    DesiredOutcome,
    NegotiatedOutcome,
    PlanAction,
    Principle,
    PrincipleRating,
)

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": f"Answer: {label[0].lower()}{label[1:]}"},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ClearChoicesMixin:
    """Radio groups show only real answers (no "---------") and name the question when left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
                choices = list(field.choices)
                if field.required and choices and choices[0][0] == "":
                    field.choices = choices[1:]
                if field.required and "Answer:" not in str(field.error_messages.get("required", "")):
                    field.error_messages["required"] = f"Choose an answer for “{field.label}”."
            elif field.required and str(field.error_messages.get("required")) == "This field is required.":
                field.error_messages["required"] = f"Enter “{field.label}”."


class NoDefaultAnswerMixin:
    """Answers that feed a statutory return (`NO_DEFAULT`) start unanswered on a new record: a
    model default must never answer the question for the practitioner (design.md, SAC answers)."""

    NO_DEFAULT = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in self.NO_DEFAULT:
                self.initial.pop(name, None)
                self.fields[name].initial = None


class TodayByDefaultMixin:
    """Dates whose likely answer is today (`TODAY`) start at today on a new record: the date a
    conversation was held, or support declined, is usually the day it is written up. Never used
    for an answer that feeds a statutory return (`NoDefaultAnswerMixin`)."""

    TODAY = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            for name in self.TODAY:
                self.initial.setdefault(name, timezone.localdate())


def _not_in_future(form, name, label):
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, f"{label} cannot be in the future.")


class ConversationForm(TodayByDefaultMixin, NoDefaultAnswerMixin, TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    NO_DEFAULT = ("outcomes_discussion",)
    TODAY = ("held_on",)

    spoken_to_alone = _yes_no(
        "Was the adult spoken to alone?",
        "Speaking to the adult alone is how coercion and control are checked for. If not, say why.",
    )

    class Meta:
        model = Conversation
        fields = services.CONVERSATION_FIELDS
        widgets = {
            "held_on": DateInput(),
            "next_contact_on": DateInput(),
            "outcomes_discussion": forms.RadioSelect,
            "what_matters": forms.Textarea(attrs={"rows": 4}),
            "options_explained": forms.Textarea(attrs={"rows": 3}),
            "persons_decision": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "not_alone_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"what_matters": "Write down what the person said, as they said it."}

    PARTICIPANTS = ("with_adult", "with_advocate", "with_representative", "with_family", "with_agencies")

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "held_on", "The date of the conversation")
        if cleaned.get("spoken_to_alone") is False and not (cleaned.get("not_alone_reason") or "").strip():
            self.add_error("not_alone_reason", "Say why the adult was not spoken to alone.")
        if not any(cleaned.get(name) for name in self.PARTICIPANTS):
            self.add_error("with_adult", "Tick at least one person who took part.")
        if cleaned.get("with_agencies") and not (cleaned.get("agencies") or "").strip():
            self.add_error("agencies", "Name the agencies that took part.")
        held, next_on = cleaned.get("held_on"), cleaned.get("next_contact_on")
        if held and next_on and next_on < held:
            self.add_error("next_contact_on", "The next contact date cannot be before the conversation.")
        return cleaned


class DesiredOutcomeForm(TodayByDefaultMixin, TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    TODAY = ("expressed_on",)
    change_reason = forms.CharField(
        label="Why it changed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the person changed their mind after talking to their family.",
    )

    class Meta:
        model = DesiredOutcome
        fields = services.DESIRED_OUTCOME_FIELDS
        widgets = {
            "words": forms.Textarea(attrs={"rows": 3}),
            "expressed_by": forms.RadioSelect,
            "expressed_on": DateInput(),
        }
        help_texts = {"words": "Use the person's own words, as they said them."}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["change_reason"]
            del self.fields["version"]
        else:
            self.fields["change_reason"].required = True
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if version is not None and version != self.instance.version:
            # Optimistic locking: never overwrite a wording someone else changed meanwhile.
            self.add_error(
                None,
                "Someone else changed this outcome while you were editing it. "
                "Check its history below, then save again.",
            )
            self.data = self.data.copy()
            self.data["version"] = self.instance.version
        _not_in_future(self, "expressed_on", "The date it was expressed")
        return cleaned


class NegotiatedOutcomeForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    explained_to_adult = _yes_no("Was this explained to the adult?")

    class Meta:
        model = NegotiatedOutcome
        fields = services.NEGOTIATED_OUTCOME_FIELDS
        widgets = {
            "words": forms.Textarea(attrs={"rows": 3}),
            "for_the_person": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.RadioSelect,
            "reason_detail": forms.Textarea(attrs={"rows": 2}),
            "explained_on": DateInput(),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("explained_to_adult") and not cleaned.get("explained_on"):
            self.add_error("explained_on", "Give the date it was explained to the adult.")
        if cleaned.get("explained_to_adult") is False:
            cleaned["explained_on"] = None
        _not_in_future(self, "explained_on", "The date it was explained")
        return cleaned


class CapacityAssessmentForm(NoDefaultAnswerMixin, TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    NO_DEFAULT = ("about_the_enquiry",)
    about_the_enquiry = _yes_no(
        "Is this decision about the safeguarding enquiry?",
        "The SAC asks whether the adult lacked capacity to make decisions about the enquiry. "
        "Answer no for other decisions, such as managing money or where to live.",
    )

    class Meta:
        model = CapacityAssessment
        fields = services.CAPACITY_ASSESSMENT_FIELDS
        widgets = {
            "decision": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.RadioSelect,
            "assessed_on": DateInput(),
            "best_interests": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "assessed_on", "The date of the assessment")
        if (
            cleaned.get("outcome") == CapacityOutcome.LACKS_CAPACITY
            and not (cleaned.get("best_interests") or "").strip()
        ):
            self.add_error("best_interests", "Record the best-interests decision when the adult lacks capacity.")
        return cleaned


class AdvocacyForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    class Meta:
        model = Advocacy
        fields = services.ADVOCACY_FIELDS
        widgets = {"kind": forms.RadioSelect, "from_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


class DeclinedSupportForm(TodayByDefaultMixin, TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    TODAY = ("declined_on",)

    class Meta:
        model = DeclinedSupport
        fields = services.DECLINED_SUPPORT_FIELDS
        widgets = {
            "declined_on": DateInput(),
            "follow_up_on": DateInput(),
            "what_was_declined": forms.Textarea(attrs={"rows": 2}),
            "what_was_explained": forms.Textarea(attrs={"rows": 3}),
            "override_detail": forms.Textarea(attrs={"rows": 2}),
            "for_the_person": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["override_reason"].choices = [("", "No override: the adult's wish is respected")] + list(
            self.fields["override_reason"].choices
        )[1:]

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "declined_on", "The date declined")
        if cleaned.get("override_reason") and not (cleaned.get("override_detail") or "").strip():
            self.add_error("override_detail", "Explain why the adult's wish is being overridden.")
        declined, follow_up = cleaned.get("declined_on"), cleaned.get("follow_up_on")
        if declined and follow_up and follow_up < declined:
            self.add_error("follow_up_on", "The follow-up date cannot be before the date support was declined.")
        return cleaned


class PlanActionForm(TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = services.PLAN_ACTION_FIELDS
        widgets = {
            "action": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
            "for_the_person": forms.Textarea(attrs={"rows": 2}),
        }


class PlanActionStatusForm(TextLimitsMixin, forms.Form):
    status = forms.ChoiceField(choices=PlanAction._meta.get_field("status").choices)


class PrincipleEvidenceForm(TextLimitsMixin, forms.Form):
    """Evidence for each of the six principles, with its "I" statement as help text."""

    def __init__(self, *args, checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        checks = checks or {}
        for principle in Principle:
            check = checks.get(principle.value)
            self.fields[principle.value] = forms.CharField(
                label=f"{principle.label}: how was this evidenced in this case?",
                required=False,
                initial=check.evidence if check else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"“{I_STATEMENTS[principle]}”",
            )


CEASED_HELP = (
    "This is about the whole enquiry, not one risk. If yes, every risk is recorded as \u201cenquiry ceased at "
    "the individual's request, no action taken\u201d and no outcome is asked for each risk."
)
RESULT_NOT_APPLICABLE = "Not applicable: no risk was identified"


class ClosureReviewForm(NoDefaultAnswerMixin, TextLimitsMixin, ClearChoicesMixin, forms.ModelForm):
    """The review with the adult, whether each outcome was achieved in two views, and each
    risk's assessment outcome and result (or that the whole enquiry ceased at the adult's request)."""

    NO_DEFAULT = ("review_held",)

    review_held = _yes_no("Was the review held with the adult (or their representative)?")
    ceased = _yes_no("Did the enquiry cease at the individual's request?", help_text=CEASED_HELP)

    class Meta:
        model = ClosureReview
        fields = services.CLOSURE_REVIEW_FIELDS
        widgets = {
            "no_review_detail": forms.Textarea(attrs={"rows": 2}),
            "asked_dont_know_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, outcomes=(), risks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._add_risk_fields(list(risks))
        self.fields["no_review_reason"].choices = [("", "Not applicable: the review was held")] + list(
            self.fields["no_review_reason"].choices
        )[1:]
        self.outcomes = list(outcomes)
        self.outcome_rows = []
        for outcome in self.outcomes:
            review = getattr(outcome, "review", None) if outcome.pk else None
            adult_name, practitioner_name = f"adult_view_{outcome.pk}", f"practitioner_view_{outcome.pk}"
            self.fields[adult_name] = forms.ChoiceField(
                label="In the adult's view",
                choices=[("", "Not given (the adult could not or did not say)")] + list(Achievement.choices),
                required=False,
                initial=review.adult_view if review else "",
                widget=forms.RadioSelect,
            )
            self.fields[practitioner_name] = forms.ChoiceField(
                label="In the practitioner's view",
                choices=Achievement.choices,
                initial=review.practitioner_view if review else None,
                widget=forms.RadioSelect,
                error_messages={"required": "Say whether this outcome was achieved, in your view."},
            )
            self.outcome_rows.append((outcome, adult_name, practitioner_name))

    def _add_risk_fields(self, risks):
        """One enquiry-level "ceased" question, then per risk its outcome (six, no default) and result."""
        self.risks, self.risk_rows = risks, []
        assessed = [risk.assessment for risk in risks if risk.assessment]
        self.fields["ceased"].initial = None
        if assessed and all(a == RiskAssessment.CEASED for a in assessed) and len(assessed) == len(risks):
            self.fields["ceased"].initial = True
        elif any(a != RiskAssessment.CEASED for a in assessed):
            self.fields["ceased"].initial = False
        for number, risk in enumerate(risks, start=1):
            assessment, result = f"assessment_{risk.pk}", f"result_{risk.pk}"
            self.fields[assessment] = forms.ChoiceField(
                label="Risk assessment outcome",
                choices=[c for c in RiskAssessment.choices if c[0] != RiskAssessment.CEASED],
                required=False,
                initial=risk.assessment if risk.assessment not in ("", RiskAssessment.CEASED) else None,
                widget=forms.RadioSelect,
            )
            self.fields[result] = forms.ChoiceField(
                label="Where a risk was identified: what became of it?",
                choices=[("", RESULT_NOT_APPLICABLE)] + list(RiskResult.choices),
                required=False,
                initial=risk.result,
                widget=forms.RadioSelect,
            )
            self.risk_rows.append((number, risk, assessment, result))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("review_held") is False:
            if not cleaned.get("no_review_reason"):
                self.add_error("no_review_reason", "Say why no review with the adult was possible.")
            elif cleaned.get("no_review_reason") == "other" and not (cleaned.get("no_review_detail") or "").strip():
                self.add_error("no_review_detail", "Describe the other reason.")
        elif cleaned.get("review_held"):
            cleaned["no_review_reason"] = ""
        if cleaned.get("ceased") is False:
            self._clean_risk_answers(cleaned)
        return cleaned

    def _clean_risk_answers(self, cleaned):
        for number, _risk, assessment, result in self.risk_rows:
            chosen, became = cleaned.get(assessment), cleaned.get(result)
            if not chosen:
                self.add_error(assessment, f"Choose the risk assessment outcome of risk {number}.")
            elif chosen in RISK_IDENTIFIED and not became:
                self.add_error(
                    result, f"Risk {number} was identified: say whether it remained, was reduced or removed."
                )
            elif chosen not in RISK_IDENTIFIED and became:
                self.add_error(
                    result,
                    f"Risk {number}: a result is recorded only where a risk was identified. "
                    f"Choose \u201c{RESULT_NOT_APPLICABLE}\u201d, or change its outcome.",
                )

    @property
    def bound_risk_rows(self):
        return [(number, risk, self[a], self[r]) for number, risk, a, r in self.risk_rows]

    def risk_outcomes(self):
        """{"ceased": bool, "outcomes": {risk id: (assessment, result)}} for `cases.risks.set_outcomes`."""
        return {
            "ceased": bool(self.cleaned_data.get("ceased")),
            "outcomes": {
                risk.pk: (self.cleaned_data.get(a) or "", self.cleaned_data.get(r) or "")
                for _number, risk, a, r in self.risk_rows
            },
        }

    @property
    def bound_outcome_rows(self):
        return [(outcome, self[adult], self[practitioner]) for outcome, adult, practitioner in self.outcome_rows]

    def outcome_views(self):
        return {
            outcome.pk: (self.cleaned_data.get(adult) or "", self.cleaned_data.get(practitioner) or "")
            for outcome, adult, practitioner in self.outcome_rows
        }


def add_principle_ratings(form, *, required, comment_help=""):
    """Add a met/partly/not-met rating and a comment field for each of the six principles to
    `form`; returns [(principle, rating field name, comment field name)] in principle order."""
    rows = []
    for principle in Principle:
        rating, comment = f"rating_{principle.value}", f"comment_{principle.value}"
        form.fields[rating] = forms.ChoiceField(
            label=f"{principle.label}: was it met?",
            choices=PrincipleRating.choices,
            widget=forms.RadioSelect,
            error_messages={"required": required.format(principle=principle.label)},
        )
        form.fields[comment] = forms.CharField(
            label=f"Comment on {principle.label}",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=comment_help,
        )
        rows.append((principle, rating, comment))
    return rows


SHORTFALL_COMMENT_HELP = "Needed when the principle was partly met or not met: say what was missing."


def require_shortfall_comments(form, cleaned, rows):
    """A "partly met" or "not met" rating needs a comment saying what was missing (the closure
    sign-off and the sample audit share this rule)."""
    for principle, rating, comment in rows:
        if (
            cleaned.get(rating) in (PrincipleRating.PARTLY, PrincipleRating.NOT_MET)
            and not (cleaned.get(comment) or "").strip()
        ):
            form.add_error(comment, f"Say what was missing for {principle.label}.")


class SignOffForm(TextLimitsMixin, ClearChoicesMixin, forms.Form):
    """The manager's review of the six principles and their decision on the closure."""

    DECISIONS = [("sign_off", "Sign off the closure"), ("return", "Return it to the practitioner with comments")]
    decision = forms.ChoiceField(label="Your decision", choices=DECISIONS, widget=forms.RadioSelect)
    comments = forms.CharField(
        label="Comments for the practitioner",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you return the closure.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.principle_rows = add_principle_ratings(
            self, required="Review the evidence for {principle}.", comment_help=SHORTFALL_COMMENT_HELP
        )

    def clean(self):
        cleaned = super().clean()
        require_shortfall_comments(self, cleaned, self.principle_rows)
        if cleaned.get("decision") == "return" and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Say what needs to change before the case can close.")
        return cleaned

    @property
    def bound_principle_rows(self):
        return [(principle, self[rating], self[comment]) for principle, rating, comment in self.principle_rows]

    def ratings(self):
        return {
            principle.value: (self.cleaned_data[rating], (self.cleaned_data.get(comment) or "").strip())
            for principle, rating, comment in self.principle_rows
        }


class CorrectionFields:
    """Makes a record form a correction form: why it is being corrected (required, kept in the
    history) and the version it was loaded from (the optimistic lock, checked by the service)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_reason"] = forms.CharField(
            label="Why it is being corrected",
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="For example: the wrong date was entered. The earlier version is kept in the record's history.",
            error_messages={"required": "Say why the record is being corrected."},
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=self.instance.version)


class ConversationCorrectionForm(CorrectionFields, ConversationForm):
    pass


class CapacityAssessmentCorrectionForm(CorrectionFields, CapacityAssessmentForm):
    pass


class AdvocacyCorrectionForm(CorrectionFields, AdvocacyForm):
    pass


class DeclinedSupportCorrectionForm(CorrectionFields, DeclinedSupportForm):
    pass


class PlanActionCorrectionForm(CorrectionFields, PlanActionForm):
    pass
