"""Wording for board members: the report spells out what practitioners abbreviate."""

import re

from django import template

register = template.Library()

_S42 = re.compile(r"\b(?:(a)n )?s\.?\s?42\b", re.IGNORECASE)


@register.filter
def board_words(text):
    """'an s42 enquiry' -> 'a section 42 enquiry' (board members read words, not shorthand)."""
    return _S42.sub(lambda m: f"{m.group(1)} section 42" if m.group(1) else "section 42", str(text))
