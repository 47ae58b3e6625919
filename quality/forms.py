"""Forms for the practice-quality pages: the period and team filter, the audit list filter,
drawing a sample, and rating one drawn case against the six principles."""

import django_filters
from django import forms
from django.utils import timezone

from accounts.models import Role
from accounts.text import TextLimitedForm, TextLimitsMixin
from cases.codes import EnquiryKind
from outcomes.forms import (
    SHORTFALL_COMMENT_HELP,
    ClearChoicesMixin,
    DateInput,
    add_principle_ratings,
    require_shortfall_comments,
)
from outcomes.models import I_STATEMENTS, PracticeAudit, PracticeAuditStatus

from . import selectors


def _all_label(user):
    return "All teams" if user.role == Role.LEAD else "All your teams"


class PeriodMixin:
    """Checks a `start`/`end` date pair: in order, not in the future, at most MAX_PERIOD_MONTHS."""

    start_field, end_field = "date_from", "date_to"

    def clean_period(self, cleaned):
        start, end = cleaned.get(self.start_field), cleaned.get(self.end_field)
        today = timezone.localdate()
        if end and end > today:
            self.add_error(self.end_field, "The end of the period cannot be in the future.")
        if start and end and start > end:
            self.add_error(self.end_field, "The end of the period must be on or after its start.")
        elif start and end and selectors.add_months(start, selectors.MAX_PERIOD_MONTHS) <= end:
            self.add_error(
                self.start_field, f"Choose a period of at most {selectors.MAX_PERIOD_MONTHS} months (3 years)."
            )
        return cleaned


def _period_day(label, which):
    """A date field for the first or last (`which`) day of a period."""
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"Enter the {which} day of the period.", "invalid": "Enter a real date."},
    )


class QualityFilterForm(TextLimitsMixin, PeriodMixin, forms.Form):
    """The practice-quality page's choices (kept in the URL): team, period of closure, kind."""

    team = forms.ModelChoiceField(queryset=None, required=False, label="Team")
    date_from = _period_day("Closed from", "first")
    date_to = _period_day("Closed up to", "last")
    kind = forms.ChoiceField(
        label="Enquiries",
        required=False,
        choices=[("", "Section 42 and other enquiries"), *EnquiryKind.choices],
    )

    def __init__(self, data=None, *, user, **kwargs):
        start, end = selectors.default_period()
        initial = {"date_from": start, "date_to": end}
        if data is not None and not any(data.get(name) for name in ("team", "date_from", "date_to", "kind")):
            data = None  # no choices made: the defaults
        super().__init__(data, initial=initial, **kwargs)
        self.fields["team"].queryset = selectors.teams_in_scope(user)
        self.fields["team"].empty_label = _all_label(user)
        self.fields["team"].error_messages["invalid_choice"] = "Choose one of the teams in the list."

    def clean(self):
        return self.clean_period(super().clean())

    def scope(self):
        """The Scope chosen, or the default (last 12 complete months, all teams in scope)."""
        if self.is_bound:
            data = self.cleaned_data
            return selectors.Scope(data["date_from"], data["date_to"], data.get("team"), data.get("kind") or "")
        start, end = selectors.default_period()
        return selectors.Scope(start, end)


class PracticeAuditForm(TextLimitsMixin, PeriodMixin, ClearChoicesMixin, forms.Form):
    """Draw a random sample of closed cases to audit."""

    start_field, end_field = "period_start", "period_end"

    team = forms.ModelChoiceField(queryset=None, label="Team", required=False)
    period_start = _period_day("Cases closed from", "first")
    period_end = _period_day("Cases closed up to", "last")
    sample_size = forms.IntegerField(
        label="How many cases to audit",
        min_value=1,
        max_value=selectors.MAX_SAMPLE,
        help_text=f"From 1 to {selectors.MAX_SAMPLE}. If fewer cases closed, all of them are drawn.",
        error_messages={
            "required": "Enter how many cases to audit.",
            "invalid": "Enter a whole number.",
            "min_value": "Audit at least 1 case.",
            "max_value": f"Audit at most {selectors.MAX_SAMPLE} cases at a time.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        start, end = selectors.default_period()
        kwargs.setdefault("initial", {"period_start": start, "period_end": end, "sample_size": 10})
        super().__init__(*args, **kwargs)
        self.user = user
        team = self.fields["team"]
        team.queryset = selectors.teams_in_scope(user)
        team.error_messages["invalid_choice"] = "Choose one of the teams in the list."
        if user.role == Role.LEAD:
            team.empty_label = "All teams"
        else:
            team.required = True
            team.empty_label = "Choose a team"
            team.error_messages["required"] = "Choose the team whose cases you will audit."

    def clean(self):
        return self.clean_period(super().clean())


class AuditRatingForm(TextLimitsMixin, forms.Form):
    """The six ratings of one drawn case. A comment is needed for "partly met" and "not met"."""

    def __init__(self, *args, ratings=None, **kwargs):
        initial = {}
        for row in ratings or ():
            initial[f"rating_{row.principle}"] = row.rating
            initial[f"comment_{row.principle}"] = row.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.principle_rows = add_principle_ratings(
            self,
            required="Choose a rating for {principle}.",
            comment_help=SHORTFALL_COMMENT_HELP,
        )

    def clean(self):
        cleaned = super().clean()
        require_shortfall_comments(self, cleaned, self.principle_rows)
        return cleaned

    @property
    def bound_principle_rows(self):
        return [
            (principle, I_STATEMENTS[principle], self[rating], self[comment])
            for principle, rating, comment in self.principle_rows
        ]

    def ratings(self):
        return {
            principle.value: (self.cleaned_data[rating], (self.cleaned_data.get(comment) or "").strip())
            for principle, rating, comment in self.principle_rows
        }


class PracticeAuditFilter(django_filters.FilterSet):
    """The audit list's filters and sort order (kept in the URL)."""

    team = django_filters.ModelChoiceFilter(queryset=None, label="Team")
    status = django_filters.ChoiceFilter(choices=PracticeAuditStatus.choices, empty_label="Any status")
    created_from = django_filters.DateFilter(
        label="Drawn on or after", field_name="created_at", lookup_expr="date__gte", widget=DateInput()
    )
    created_to = django_filters.DateFilter(
        label="Drawn on or before", field_name="created_at", lookup_expr="date__lte", widget=DateInput()
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        fields=(("created_at", "created"), ("period_end", "period"), ("team__name", "team")),
        field_labels={"created": "Date drawn", "period": "End of period", "team": "Team"},
        empty_label="Newest first",
    )

    class Meta:
        form = TextLimitedForm
        model = PracticeAudit
        fields = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["team"].queryset = selectors.teams_in_scope(user)
        self.filters["team"].extra["empty_label"] = _all_label(user)
