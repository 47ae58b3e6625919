"""Small text filters so typed text and the page's own punctuation never double up.

`{{ text|sentence }}` ends the text with one full stop (none added after . ! ? or …);
`{{ words|unquoted }}` drops the quotation marks someone typed around words the page quotes itself.
"""

from django import template

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
