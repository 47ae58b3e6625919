from django import forms

from accounts.text import TextLimitsMixin


class ImportForm(TextLimitsMixin, forms.Form):
    file = forms.FileField(
        label="CSV file of legacy cases",
        help_text="UTF-8, comma-separated, with a header row, in the format described below.",
    )
    risks = forms.FileField(
        label="CSV file of their risks (optional)",
        required=False,
        help_text="One row per risk, for cases whose risks are not on their own row. Same format rules.",
    )

    def clean_file(self):
        return _csv_only(self.cleaned_data["file"])

    def clean_risks(self):
        uploaded = self.cleaned_data.get("risks")
        return _csv_only(uploaded) if uploaded else None


def _csv_only(uploaded):
    if not uploaded.name.lower().endswith(".csv"):
        raise forms.ValidationError("Choose a file ending in .csv.")
    return uploaded
