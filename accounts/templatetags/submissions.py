"""`{% submission_key %}`: the hidden one-time key of a record-creating form (accounts/submissions.py)."""

from django import template
from django.utils.html import format_html

from accounts.submissions import FIELD, key_for

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_key(context):
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key_for(context["request"]))
