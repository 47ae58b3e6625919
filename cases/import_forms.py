from django import forms

from accounts.text import TextLimitsMixin


class ImportForm(TextLimitsMixin, forms.Form):
    file = forms.FileField(
        label="CSV file of legacy cases",
        help_text="UTF-8, comma-separated, with a header row, in the format described below.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a file ending in .csv.")
        return uploaded
