"""`{% screening_panel %}`: the front door's figures on the team dashboard and My work.

One line in each page's template, so those pages (and whoever maintains them) need to know
nothing else about the front door; for anyone who does not screen, it renders nothing.
"""

from django import template

from frontdoor.selectors import screening_summary

register = template.Library()


@register.inclusion_tag("frontdoor/_screening_panel.html", takes_context=True)
def screening_panel(context):
    return {"screening": screening_summary(user=context["request"].user)}
