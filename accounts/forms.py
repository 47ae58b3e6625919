import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from .models import Role, Team, User
from .text import TextLimitsMixin


class LoginForm(TextLimitsMixin, AuthenticationForm):
    """Django's sign-in form with the application's text limits."""


def _token_field(label="Six-digit code from your authenticator app"):
    return forms.CharField(
        label=label,
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )


def _clean_token(form):
    token = form.cleaned_data["token"].strip()
    if not token.isdigit():
        raise forms.ValidationError("Enter the six digits shown in your authenticator app.")
    return token


class TokenForm(TextLimitsMixin, forms.Form):
    token = _token_field()
    clean_token = _clean_token


class AccountSetupForm(TextLimitsMixin, SetPasswordForm):
    """Through a one-time link: the user's own new password and a code from their authenticator."""

    token = _token_field()
    clean_token = _clean_token

    def __init__(self, user, *args, enrolling, **kwargs):
        super().__init__(user, *args, **kwargs)
        if not enrolling:
            self.fields["token"].label = "Six-digit code from the authenticator app you already use"


class UserForm(TextLimitsMixin, forms.ModelForm):
    """Create or change a user: role decides what they can do, teams where they can do it."""

    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "role", "is_active"]

    # Nobody changes these on their own account (services.user_save refuses it too).
    ACCESS_FIELDS = ("role", "teams", "is_active")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_account = actor is not None and self.instance.pk is not None and self.instance.pk == actor.pk
        if self.own_account:
            for name in self.ACCESS_FIELDS:
                del self.fields[name]
        elif actor is not None and actor.role != Role.LEAD:
            self.fields["role"].help_text = (
                "Practitioner, team manager and safeguarding lead open case data: a safeguarding lead "
                "approves them before they take effect. SAB member and system administrator apply at once."
            )
            self.fields["teams"].help_text = "A new team opens that team's cases: it waits for a lead's approval."
        if self.instance.pk and not self.own_account:
            # A list, read now: a lazy queryset would be read after the save, so a change
            # of teams alone would look like no change at all.
            self.fields["teams"].initial = list(self.instance.teams.all())
        # The account's own user chooses the password, through a link sent to this address.
        self.fields["email"].required = not self.instance.pk
        self.fields["email"].help_text = "Where the one-time link to set a password and authenticator is sent."

    def clean(self):
        cleaned = super().clean()
        if self.own_account:
            if any(name in self.data for name in self.ACCESS_FIELDS):
                raise forms.ValidationError(
                    "You cannot change your own role, teams or active status: another administrator "
                    "or a safeguarding lead must do it."
                )
            return cleaned
        role = cleaned.get("role")
        if role in (Role.PRACTITIONER, Role.MANAGER) and not cleaned.get("teams"):
            self.add_error("teams", "Practitioners and team managers must belong to at least one team.")
        return cleaned


class TeamForm(TextLimitsMixin, forms.ModelForm):
    """A team's name and the contact details its adults are given (leads and administrators)."""

    class Meta:
        model = Team
        fields = ["name", "contact_phone", "contact_email", "contact_address"]
        widgets = {
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "contact_address": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_contact_phone(self):
        phone = " ".join(self.cleaned_data["contact_phone"].split())
        if phone and not re.fullmatch(r"\+?[0-9][0-9 ()-]{5,}", phone):
            raise forms.ValidationError("Enter a phone number using digits, spaces and brackets, like 0300 123 4567.")
        return phone

    def clean_contact_address(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["contact_address"].splitlines()]
        return "\n".join(line for line in lines if line)
