"""The "find a case" filters: search box plus team, stage, abuse type, received dates, overdue."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.access import teams_of
from accounts.text import TextLimitedForm

from .codes import AbuseType
from .models import CaseState, RiskType
from .selectors import search_cases


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class CaseFilter(django_filters.FilterSet):
    class Meta:
        form = TextLimitedForm

    q = django_filters.CharFilter(
        label="Case reference, name or NHS number",
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    team = django_filters.ModelChoiceFilter(queryset=None, empty_label="All your teams")
    stage = django_filters.ChoiceFilter(
        label="Stage", field_name="state", choices=CaseState.choices, empty_label="Any stage"
    )
    abuse_type = django_filters.ChoiceFilter(
        label="Type of abuse or neglect", choices=AbuseType.choices, method="filter_abuse_type", empty_label="Any type"
    )
    received_from = django_filters.DateFilter(
        label="Received on or after", method="filter_received_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = django_filters.DateFilter(
        label="Received on or before", method="filter_received_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = django_filters.BooleanFilter(
        label="Only cases with an overdue decision", method="filter_overdue", widget=forms.CheckboxInput
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["team"].queryset = teams_of(user)

    def filter_search(self, queryset, name, value):
        return search_cases(queryset, value)

    def filter_abuse_type(self, queryset, name, value):
        # Any of the case's risks has the type (risks__types, as one EXISTS, so a case counts once).
        return queryset.filter(Exists(RiskType.objects.filter(risk__case=OuterRef("pk"), abuse_type=value)))

    # Whole local days as datetime ranges, so the received_at index is used.
    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_start_of(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=_start_of(value + datetime.timedelta(days=1)))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def used_filters(self):
        """Names of the filters the user set (for the audit entry: names, never values)."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return sorted(name for name, value in self.form.cleaned_data.items() if value not in (None, "", False))
