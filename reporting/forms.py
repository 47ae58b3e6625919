from django import forms
from django.utils import timezone

from accounts import access
from accounts.models import Team
from accounts.text import TextLimitsMixin

from .aggregation import Period, last_complete_financial_year
from .services import ReportRefused, check_disclosure


class DateInput(forms.DateInput):
    input_type = "date"


class ReportRequestForm(TextLimitsMixin, forms.Form):
    period_start = forms.DateField(label="From", widget=DateInput, help_text="The first day of the period.")
    period_end = forms.DateField(label="To", widget=DateInput, help_text="The last day of the period (included).")
    team = forms.ModelChoiceField(
        label="Scope",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="Whole board area",
        help_text="Safeguarding leads may report on one team.",
    )

    def __init__(self, *args, user, **kwargs):
        year = last_complete_financial_year(timezone.localdate())
        kwargs.setdefault("initial", {"period_start": year.start, "period_end": year.end})
        super().__init__(*args, **kwargs)
        if not access.is_lead(user):
            del self.fields["team"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", "The last day must be on or after the first day.")
            else:
                try:
                    check_disclosure(period=Period(start, end), team=cleaned.get("team"))
                except ReportRefused as refusal:
                    self.add_error(None, refusal)
        return cleaned
