"""`{% organisational_case_panel case %}`: the organisational enquiries a case is linked to, on the
case page (the cases app knows nothing else about this app)."""

from django import template

from accounts.access import is_lead

from .. import selectors

register = template.Library()


@register.inclusion_tag("organisational/_case_panel.html", takes_context=True)
def organisational_case_panel(context, case):
    return {"links": list(selectors.case_links(case)), "is_lead": is_lead(context["request"].user)}
