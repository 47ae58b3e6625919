"""Typed text: the limit every text field has, and direction-control characters made harmless.

`TextLimitsMixin` goes first in the bases of every form of the application. It gives each
text field its documented limit (docs/security.md "Text fields: limits and direction characters"), refuses
longer input with a message instead of letting the browser cut it (no HTML `maxlength`), and
refuses the invisible bidirectional control characters that make a value read as something
else. What was typed is shown back in the field either way.

`neutralise_bidi()` is the display-time half: the template backend (`msp.templates`) runs it
over every rendered page, mail and PDF, so values stored before these rules, or imported,
cannot reorder what a reader sees either.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

SINGLE_LINE_LIMIT = 200
MULTI_LINE_LIMIT = 10_000

#: Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _shown(match):
    return f"[U+{ord(match.group(0)):04X}]"


def neutralise_bidi(text):
    """`text` with each direction-control character replaced by its visible code, e.g. `[U+202E]`."""
    if not BIDI_CONTROLS.search(text):
        return text
    return BIDI_CONTROLS.sub(_shown, text)


def refuse_bidi_controls(value):
    found = sorted({f"U+{ord(c):04X}" for c in BIDI_CONTROLS.findall(value)})
    if found:
        raise ValidationError(
            f"This contains invisible text-direction characters ({', '.join(found)}) that can make it read as "
            "something else. Remove them (they are shown as [U+…]) and save again.",
            code="bidi_control",
        )


class LengthLimit:
    """Refuse text longer than `limit`, saying how long it was (a long paste is shown back, not cut)."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        if len(value) > self.limit:
            raise ValidationError(
                f"This must be {self.limit:,} characters or fewer (you entered {len(value):,}).", code="max_length"
            )


def limit_for(field):
    """The documented limit of a text field: its own (a column's) when set, else by kind."""
    if field.max_length:
        return field.max_length
    return MULTI_LINE_LIMIT if isinstance(field.widget, forms.Textarea) else SINGLE_LINE_LIMIT


class TextLimitsMixin:
    """Every text field of the form gets its limit and the direction-character check (see module doc).

    Applied when the form is first rendered or cleaned, so fields a form adds in its own
    `__init__` are covered too. Passwords are left alone (no limit, any character).
    """

    def _limit_text_fields(self):
        for field in self.fields.values():
            if getattr(field, "text_limit", None) is not None or not isinstance(field, forms.CharField):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue
            field.text_limit = field.max_length = limit_for(field)
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators += [LengthLimit(field.text_limit), refuse_bidi_controls]
            field.widget.attrs.pop("maxlength", None)

    def __getitem__(self, name):
        self._limit_text_fields()
        return super().__getitem__(name)

    def full_clean(self):
        self._limit_text_fields()
        super().full_clean()


class TextLimitedForm(TextLimitsMixin, forms.Form):
    """The form of every django-filter FilterSet (`Meta.form`): its search boxes have limits too."""


#: What a spreadsheet reads as the start of a formula, when a cell begins with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text):
    """A text cell of a CSV export that a spreadsheet will not run as a formula (names and team
    names are typed by people): a leading formula character is quoted with an apostrophe."""
    text = text or ""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
