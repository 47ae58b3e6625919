"""The case page's list of staff case summaries, read by the outcomes app itself so that the
cases app (which the outcomes app builds on) never imports it."""

from django import template

from outcomes.case_summary import latest_case_summaries

register = template.Library()


@register.simple_tag
def case_summaries_of(case):
    """The latest staff case summaries of `case` (already fetched through the access policy)."""
    return latest_case_summaries(case=case)
