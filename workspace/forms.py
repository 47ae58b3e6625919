"""Forms for the managers' workspace: the list filters and choices, which all go in the URL (so
none of them takes free text or a name: teams, stages and practitioners are chosen by id), and
the one form that changes state, the bulk allocation (POST)."""

import django_filters
from django import forms

from accounts.access import teams_of
from accounts.models import Team
from accounts.text import TextLimitedForm, TextLimitsMixin
from cases.models import OPEN_STATES
from cases.selectors import CaseloadLabels

from . import selectors

OPEN_STAGE_CHOICES = [(state.value, state.label) for state in OPEN_STATES]


ATTENTION_CHOICES = [
    ("unallocated", "Enquiry not allocated"),
    ("overdue_decision", "Decision overdue"),
    ("no_contact", "No contact recently"),
]


#: Attention filters that keep to some open states themselves (`selectors.UNALLOCATED_Q`,
#: `overdue_decision_q`, `no_contact_q`).
STATE_ATTENTION = frozenset(value for value, _ in ATTENTION_CHOICES)


class WorkspaceCaseFilter(django_filters.FilterSet):
    class Meta:
        form = TextLimitedForm

    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All your teams")
    stage = django_filters.ChoiceFilter(
        label="Stage", field_name="state", choices=OPEN_STAGE_CHOICES, empty_label="Any open stage"
    )
    attention = django_filters.ChoiceFilter(
        label="Needs attention", choices=ATTENTION_CHOICES, method="filter_attention", empty_label="Any"
    )
    days = django_filters.NumberFilter(
        label="No contact for at least (days)",
        method="filter_days",
        min_value=1,
        max_value=selectors.MAX_NO_CONTACT_DAYS,
        widget=forms.NumberInput(attrs={"min": 1, "max": selectors.MAX_NO_CONTACT_DAYS}),
    )
    practitioner = django_filters.ModelChoiceFilter(
        label="Lead practitioner", queryset=Team.objects.none(), method="filter_practitioner", empty_label="Anyone"
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label="Oldest concern first",
        fields=(
            ("received_at", "received"),
            ("decision_due", "decision_due"),
            ("enquiry__started_on", "enquiry_started"),
            ("ref", "ref"),
        ),
        field_labels={
            "received_at": "Concern received",
            "decision_due": "Decision due",
            "enquiry__started_on": "Enquiry started",
            "ref": "Case reference",
        },
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.filters["team"].queryset = teams_of(user)
        self.filters["practitioner"].queryset = selectors.team_practitioners(user=user)

    @property
    def qs(self):
        """The filtered cases, kept to the open stages by one predicate on the state: where the
        stage or the attention filter already names open states, the open-states filter is not
        added again. PostgreSQL multiplies two predicates on one column, so it expected 200 of a
        team's 28,000 open enquiries and chose a plan that took 350 ms for a page of 26 (1 ms
        with one predicate, at a million cases)."""
        if not hasattr(self, "_open_qs"):
            queryset = super().qs
            self._open_qs = queryset if self._names_open_states() else queryset.filter(state__in=OPEN_STATES)
        return self._open_qs

    def _names_open_states(self):
        if not self.is_bound or not self.form.is_valid():
            return False
        data = self.form.cleaned_data
        return bool(data.get("stage")) or data.get("attention") in STATE_ATTENTION

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not (self.form.cleaned_data.get("sort") or []):
            queryset = queryset.order_by("received_at", "id")
        else:
            queryset = queryset.order_by(*queryset.query.order_by, "id")
        return queryset

    def no_contact_days(self):
        value = self.form.cleaned_data.get("days") if self.form.is_valid() else None
        return int(value) if value else selectors.no_contact_days_default()

    def filter_attention(self, queryset, name, value):
        if value == "unallocated":
            return queryset.filter(selectors.UNALLOCATED_Q)
        if value == "overdue_decision":
            return queryset.filter(selectors.overdue_decision_q())
        if value == "no_contact":
            return queryset.filter(selectors.no_contact_q(days=self.no_contact_days()))
        return queryset

    def filter_practitioner(self, queryset, name, value):
        # Open enquiries only: the partial index of unconcluded enquiries by lead answers it.
        return queryset.filter(enquiry__lead_practitioner=value, enquiry__concluded_on__isnull=True)

    def filter_days(self, queryset, name, value):
        return queryset  # read by filter_attention

    def used_filters(self):
        """Names of the filters set (for the audit entry: names, never values)."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return sorted(name for name, value in self.form.cleaned_data.items() if value not in (None, "", False, []))


class WorkItemFilter(django_filters.FilterSet):
    """The team filter of the overdue-actions and follow-ups lists."""

    class Meta:
        form = TextLimitedForm

    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), field_name="case__team", empty_label="All your teams"
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["team"].queryset = teams_of(user)


class TeamForm(TextLimitsMixin, forms.Form):
    """The dashboard's and the sign-off queue's choices: one team or all the user's teams."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All your teams")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["team"].queryset = teams_of(user)

    def chosen_team(self):
        return self.cleaned_data.get("team") if self.is_valid() else None


class DashboardForm(TeamForm):
    days = forms.IntegerField(
        label="No contact for at least (days)",
        required=False,
        min_value=1,
        max_value=selectors.MAX_NO_CONTACT_DAYS,
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["days"].initial = selectors.no_contact_days_default()

    def no_contact_days(self):
        value = self.cleaned_data.get("days") if self.is_valid() else None
        return value or selectors.no_contact_days_default()


class QueueForm(TeamForm):
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Decisions and closures"), ("decisions", "Decisions only"), ("closures", "Closures only")],
    )

    def kind_shown(self):
        return (self.cleaned_data.get("kind") if self.is_valid() else "") or ""


class BulkAllocationForm(TextLimitsMixin, forms.Form):
    """Allocate or re-allocate the ticked cases to one practitioner, with one reason."""

    cases = forms.TypedMultipleChoiceField(coerce=int, label="Cases")
    to = forms.ModelChoiceField(queryset=None, label="Allocate to", empty_label="Choose a practitioner")
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when a case moves from one practitioner to another. It is added to each case's chronology.",
    )

    def __init__(self, data=None, *, user, case_ids=(), **kwargs):
        super().__init__(data, **kwargs)
        practitioners = selectors.team_practitioners(user=user)
        self.fields["to"].queryset = practitioners
        self.fields["to"].label_from_instance = CaseloadLabels(practitioners, viewer=user)
        ids = set(case_ids)
        if data is not None:
            ids |= {v for v in data.getlist("cases") if v.isdigit()}
        self.fields["cases"].choices = [(str(pk), str(pk)) for pk in ids]
        self.fields["cases"].error_messages["required"] = "Tick at least one case."

    def versions(self, data):
        return {pk: data.get(f"version-{pk}", "") for pk in self.cleaned_data["cases"]}
