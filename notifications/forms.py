from django import forms

from accounts.text import TextLimitsMixin

from .models import MailChoice, NotificationPreference


class PreferenceForm(TextLimitsMixin, forms.ModelForm):
    mail = forms.ChoiceField(
        label="Email me about notifications",
        choices=MailChoice.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Overdue statutory timescales (an s42 decision, a front-door screening) are emailed whatever you choose."
        ),
    )

    class Meta:
        model = NotificationPreference
        fields = ["mail"]


class IdsField(forms.Field):
    """Several ids posted under one name (the page's checkboxes or one row's button)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        try:
            ids = sorted({int(v) for v in (value or [])})
        except (TypeError, ValueError):
            raise forms.ValidationError("Choose notifications from the list.") from None
        if any(not 0 < pk < 2**63 for pk in ids) or len(ids) > 1000:
            raise forms.ValidationError("Choose notifications from the list.")
        return ids


class MarkReadForm(TextLimitsMixin, forms.Form):
    ids = IdsField(required=False)
    all = forms.BooleanField(required=False)
