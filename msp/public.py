"""What every public page (no account: the concern form, the feedback questionnaire) shares:
the per-address rate limit and the honeypot field."""

import logging

from django import forms
from django_ratelimit.core import is_ratelimited

from accounts.text import TextLimitsMixin

logger = logging.getLogger(__name__)

#: The honeypot field's name: hidden from people, filled in by robots.
HONEYPOT = "website"


def rate_limited(request, group, rate, *, label):
    """True once this address has used up `rate` for `group` (django-ratelimit, counted in the
    shared cache). If the cache cannot be reached the page stays open (a lost report is worse
    than a spam one): the kind of failure is logged as `label`'s, never the address."""
    try:
        return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)
    except Exception as exc:  # Redis down or refusing
        logger.warning("%s rate limit unavailable: %s", label, type(exc).__name__)
        return False


class HoneypotForm(TextLimitsMixin, forms.Form):
    """A public page's form, with the honeypot field (laid out hidden by each page)."""

    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
