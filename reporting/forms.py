from django import forms
from django.utils import timezone

from accounts import access
from accounts.models import Team
from accounts.text import TextLimitsMixin

from . import periods
from .aggregation import last_complete_financial_year


class DateInput(forms.DateInput):
    """`<input type="date">`, whose value must be ISO (a browser shows "01/04/2024" as an empty field)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=format)


class ReportRequestForm(TextLimitsMixin, forms.Form):
    """SAB members choose a standard period; safeguarding leads any dates, and a team.

    Either way `cleaned_data` holds `period_start` and `period_end` (and `team` for leads).
    """

    period = forms.ChoiceField(
        label="Period",
        help_text="A whole month, quarter or financial year (1 April to 31 March) that has ended.",
    )
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
        today = timezone.localdate()
        year = last_complete_financial_year(today)
        kwargs.setdefault(
            "initial", {"period_start": year.start, "period_end": year.end, "period": periods.value(year)}
        )
        super().__init__(*args, **kwargs)
        self.standard_only = not access.is_lead(user)
        if self.standard_only:
            self.fields["period"].choices = periods.offered(today)
            del self.fields["period_start"], self.fields["period_end"], self.fields["team"]
        else:
            del self.fields["period"]

    def clean(self):
        cleaned = super().clean()
        if self.standard_only:
            period = periods.parse(cleaned.get("period") or "")
            if period is not None:
                cleaned["period_start"], cleaned["period_end"] = period.start, period.end
            return cleaned
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The last day must be on or after the first day.")
        return cleaned


class ReturnYearForm(TextLimitsMixin, forms.Form):
    """The financial year of the statutory return (the years that have started, newest first)."""

    year = forms.ChoiceField(
        label="Financial year",
        help_text="1 April to 31 March. The return for a year is usually made once it has ended.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        latest = last_complete_financial_year(today)
        years = [periods.financial_year(latest.start.year + 1 - n) for n in range(periods.YEARS_OFFERED + 1)]
        self.fields["year"].choices = [(periods.fy_label(y), periods.fy_label(y)) for y in years if y.start <= today]
        self.fields["year"].initial = periods.fy_label(latest)

    def clean_year(self):
        year = periods.parse_fy(self.cleaned_data["year"])
        if year is None:
            raise forms.ValidationError("Choose a financial year from the list.")
        return year
