"""`{% harm_case_panel case %}`, the people alleged to have caused harm on the case page, and
`{% harm_subject_access cases %}`, their redacted lines in the adult's subject access export
(the cases and documents apps know nothing else about this app)."""

from django import template

from accounts.access import is_lead

from .. import selectors

register = template.Library()


@register.inclusion_tag("harm/_case_panel.html", takes_context=True)
def harm_case_panel(context, case):
    user = context["request"].user
    return {
        "case": case,
        "links": selectors.case_people(case),
        "is_lead": is_lead(user),
        "can_change": bool(context.get("can_edit")),
    }


@register.inclusion_tag("harm/_subject_access.html")
def harm_subject_access(cases, redacted):
    return {"lines": selectors.subject_access_lines(cases), "redacted": redacted}
