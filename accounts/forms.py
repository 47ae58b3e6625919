from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from .models import Role, Team, User
from .text import TextLimitsMixin


class LoginForm(TextLimitsMixin, AuthenticationForm):
    """Django's sign-in form with the application's text limits."""


class TokenForm(TextLimitsMixin, forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Enter the six digits shown in your authenticator app.")
        return token


class UserForm(TextLimitsMixin, forms.ModelForm):
    """Create or change a user: role decides what they can do, teams where they can do it."""

    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label="Initial password",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password. Leave blank to keep the current one.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "role", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["teams"].initial = self.instance.teams.all()
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = "At least 12 characters, not a common password."

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in (Role.PRACTITIONER, Role.MANAGER) and not cleaned.get("teams"):
            self.add_error("teams", "Practitioners and team managers must belong to at least one team.")
        return cleaned


class TeamForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]
