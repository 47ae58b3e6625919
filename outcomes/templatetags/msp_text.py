"""Small text filters so typed text and the page's own punctuation never double up.

`{{ text|sentence }}` ends the text with one full stop (none added after . ! ? or …);
`{{ words|unquoted }}` drops the quotation marks someone typed around words the page quotes itself.
`{{ person.date_of_birth|age }}` is the age in whole years today; `{{ person.nhs_number|nhs_number }}`
spaces a ten-digit NHS number 3-3-4 ("943 476 5919"), as people read and say it.
"""

import datetime

from django import template
from django.utils import timezone

register = template.Library()

ENDINGS = (".", "!", "?", "…")
QUOTES = "\"'“”‘’„«»"


@register.filter
def sentence(text):
    text = str(text or "").strip()
    if not text:
        return text
    bare = text.rstrip(QUOTES + ")")
    return text if bare.endswith(ENDINGS) else f"{text}."


@register.filter
def unquoted(text):
    text = str(text or "").strip()
    while len(text) > 1 and text[0] in QUOTES and text[-1] in QUOTES:
        text = text[1:-1].strip()
    return text


@register.filter
def age(born, today=None):
    """Whole years from a date of birth to today (or `today`); empty for an unknown date."""
    if not isinstance(born, datetime.date):
        return ""
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@register.filter
def nhs_number(value):
    """Ten digits spaced 3-3-4; anything else (empty, or not ten digits) is shown as stored."""
    digits = "".join(str(value or "").split())
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return value
