"""The questionnaire's forms: the staff one (at closure, independent follow-up) and the
anonymous one (one question per page, easy read)."""

import contextlib
import re

from django import forms
from django.utils import timezone

from accounts.text import TextLimitsMixin
from msp.public import HONEYPOT, HoneypotForm

from .models import Version
from .questions import FRAMEWORK, PRINCIPLES, QUESTIONS

VERSIONS = [(Version.ADULT, "The adult"), (Version.REPRESENTATIVE, "A representative (family, friend, carer, IMCA)")]


def _answer_field(question, *, version, staff, easy=False):
    """One question; on the staff form the adult's wording with the representative's beneath."""
    label = question.easy if easy else question.wording(version)
    help_text = f"To a representative: \u201c{question.representative}\u201d" if staff else ""
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=question.choices(staff=staff, easy=easy),
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose an answer (or \u201cI'd rather not say\u201d): {label}"},
    )


class StaffQuestionnaireForm(TextLimitsMixin, forms.Form):
    """Every question of the Framework and every principle's "I" statement, each with no
    default answer; who answered (the adult or a representative) decides the wording shown."""

    version = forms.ChoiceField(
        label="Who is answering?",
        choices=VERSIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who is answering: the adult or a representative."},
    )
    asked_on = forms.DateField(
        label="When were they asked?",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date they were asked."},
    )
    anything_else = forms.CharField(
        label="Is there anything else they want to tell us?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their own words.",
    )
    share_consent = forms.BooleanField(
        label="They agree that their words may be shared with the Safeguarding Adults Board",
        required=False,
        help_text="Without a name. A safeguarding lead reads every quote before the board sees it.",
    )

    def __init__(self, *args, response=None, **kwargs):
        if response is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": response.version if response.version != Version.NOT_RECORDED else None,
                    "asked_on": response.asked_on,
                    "anything_else": response.anything_else,
                    "share_consent": response.share_consent,
                    **response.answers(),
                },
            )
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.code] = _answer_field(question, version=Version.ADULT, staff=True)
        # Rebuild the order: who, when, the Framework, the principles, then the free text.
        order = ["version", "asked_on", *(q.code for q in QUESTIONS), "anything_else", "share_consent"]
        self.order_fields(order)

    def clean_asked_on(self):
        day = self.cleaned_data["asked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date they were asked cannot be in the future.")
        return day

    @property
    def framework_fields(self):
        return [self[q.code] for q in FRAMEWORK]

    @property
    def principle_fields(self):
        return [self[q.code] for q in PRINCIPLES]


# --- The anonymous questionnaire (public, easy read, one question per page) -----------------

EASY_VERSIONS = [(Version.ADULT, "Me. It was about me"), (Version.REPRESENTATIVE, "I am answering for someone else")]


class PublicForm(HoneypotForm):
    """Every public page has the honeypot field: hidden from people, filled by robots."""


class CodeForm(PublicForm):
    code = forms.CharField(
        label="Your code",
        max_length=20,
        help_text="It is on the letter we gave you. For example ABCD-EFGH-JK.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={"required": "Type the code from your letter."},
    )


class WhoForm(PublicForm):
    version = forms.ChoiceField(
        label="Who is answering?",
        choices=EASY_VERSIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is answering."},
    )


class QuestionForm(PublicForm):
    """One question's page: its easy-read words (for a representative, the representative's)."""

    def __init__(self, *args, question, version, **kwargs):
        super().__init__(*args, **kwargs)
        label = question.representative if version == Version.REPRESENTATIVE else question.easy
        self.fields["answer"] = forms.ChoiceField(
            label=label,
            choices=question.choices(staff=False, easy=True),
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            error_messages={"required": "Choose an answer. You can choose \u201cI'd rather not say\u201d."},
        )
        self.order_fields(["answer", HONEYPOT])


class WordsForm(PublicForm):
    anything_else = forms.CharField(
        label="Is there anything else you want to tell us?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="You do not have to write anything. Please do not write your name.",
    )
    share_consent = forms.BooleanField(
        label="You can share my words with the Safeguarding Adults Board",
        required=False,
        help_text="The Board checks how well people are helped. We will not say who you are.",
    )


# --- Independent follow-up: who may make them -------------------------------------------------


class ReviewerForm(TextLimitsMixin, forms.Form):
    """A lead names a user outside a team to make that team's independent follow-ups."""

    team = forms.ModelChoiceField(
        label="Team", queryset=None, error_messages={"required": "Choose the team whose follow-ups they make."}
    )
    user = forms.ModelChoiceField(
        label="Who makes the follow-ups",
        queryset=None,
        help_text="Someone outside that team: a practitioner or manager of another team, or a safeguarding lead.",
        error_messages={"required": "Choose who makes the follow-ups."},
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from accounts.access import CASE_WORKERS
        from accounts.models import Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True, role__in=CASE_WORKERS).order_by("username")
        )
        self.fields["user"].label_from_instance = lambda user: f"{user.display_name} ({user.get_role_display()})"


class QuoteReviewForm(TextLimitsMixin, forms.Form):
    decision = forms.ChoiceField(
        label="For the board's report?",
        choices=[("approve", "Approve: publish these words"), ("refuse", "Do not publish them")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether these words may be published."},
    )


# --- Anonymous route: the code by email -------------------------------------------------------


class EmailCodeForm(TextLimitsMixin, forms.Form):
    """A practitioner emails the person a one-time code for the anonymous questionnaire. The
    address is used for this one mail and stored nowhere."""

    email = forms.EmailField(
        label="The person's email address",
        max_length=254,
        help_text="Used once to send the code, then forgotten: it is not stored on the case or anywhere else.",
        error_messages={
            "required": "Enter the email address to send the code to.",
            "invalid": "Enter an email address in the form name@example.org.",
        },
    )
    agreed = forms.BooleanField(
        label="The person (or their representative) agreed to be emailed this code",
        error_messages={"required": "Tick to confirm that the person agreed to be emailed the code."},
    )


# --- Anonymous route: the code by text message ------------------------------------------------

MOBILE_EXAMPLE = "07700 900123"
MOBILE_INVALID = f"Enter a UK mobile phone number, like {MOBILE_EXAMPLE}"
#: What a typed number may hold besides digits (no letters: `phonenumbers` would read them as
#: a keypad's, so "0800 FLOWERS" would pass as digits nobody typed).
PHONE_CHARACTERS = re.compile(r"[0-9\s()+.\-]+")
#: Ofcom's range for drama (07700 900000 to 900999): reaches nobody, so `phonenumbers` calls it
#: invalid; GOV.UK Notify takes some of its numbers as smoke tests. The demo and the tests use it.
DRAMA_MOBILES = re.compile(r"7700900[0-9]{3}")


def uk_mobile(value):
    """`value` as a UK mobile number in E.164 (`+447700900123`), or a ValidationError: accepts
    07…, +44 7… and 0044 7…, with spaces, dashes or brackets (a UK number: country code 44,
    so the Channel Islands' and the Isle of Man's mobiles too, which Notify sends as UK ones)."""
    import phonenumbers

    number = None
    if PHONE_CHARACTERS.fullmatch(value):
        with contextlib.suppress(phonenumbers.NumberParseException):
            number = phonenumbers.parse(value, "GB")
    mobile = number is not None and number.country_code == 44
    if mobile and not DRAMA_MOBILES.fullmatch(str(number.national_number)):
        mobile = (
            phonenumbers.is_valid_number(number)
            and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        )
    if not mobile:
        raise forms.ValidationError(MOBILE_INVALID, code="not_uk_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SmsCodeForm(TextLimitsMixin, forms.Form):
    """A practitioner texts the person a one-time code for the anonymous questionnaire. The
    number is used for this one text and stored nowhere; `cleaned_data["number"]` is in E.164."""

    number = forms.CharField(
        label="The person's mobile phone number",
        max_length=30,
        help_text=(
            f"A UK mobile number, like {MOBILE_EXAMPLE}. Used once to send the code, then forgotten: "
            "it is not stored on the case or anywhere else."
        ),
        validators=[uk_mobile],  # with the length limit, so an over-long number gets both messages
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
        error_messages={"required": "Enter the mobile phone number to send the code to."},
    )
    agreed = forms.BooleanField(
        label="The person (or their representative) agreed to be texted this code",
        error_messages={"required": "Tick to confirm that the person agreed to be texted the code."},
    )

    def clean_number(self):
        return uk_mobile(self.cleaned_data["number"])
