"""`{% partnership_case_panel case %}`, `{% partnership_work_panel %}`, `{% sharing_record case %}`
and `{% partnership_pdf_section case %}`: the partnership records on the case page, the team
dashboard, My work, the six-principle check and the staff case summary PDF, so those apps'
pages need to know nothing else about this app (none imports it)."""

from django import template

from accounts import access

from .. import selectors

register = template.Library()

#: Rows shown in each dashboard and My work table (the case pages list them all).
PANEL_ROWS = 25


@register.inclusion_tag("partnership/_case_panel.html", takes_context=True)
def partnership_case_panel(context, case):
    """The case page's summary: the caused enquiries with their status, and counts of meetings and shares."""
    return {"case": case, "caused": list(selectors.case_caused_enquiries(case)), **selectors.case_counts(case)}


@register.inclusion_tag("partnership/_work_panel.html", takes_context=True)
def partnership_work_panel(context, page="dashboard"):
    """Reports awaited from partners (the team's on the dashboard, the user's own on My work)
    and, for managers on the dashboard, information shared without consent awaiting review."""
    user = context["request"].user
    if page == "dashboard":
        team = context.get("team")
        return {
            "page": page,
            "user": user,
            "reports": list(selectors.awaiting_reports(user, team=team)[:PANEL_ROWS]),
            "shares": list(selectors.shares_awaiting_review(user, team=team)[:PANEL_ROWS])
            if access.manages(user)
            else None,
        }
    return {"page": page, "reports": list(selectors.my_awaiting_reports(user)[:PANEL_ROWS]), "shares": None}


@register.inclusion_tag("partnership/_sharing_record.html")
def sharing_record(case, compact=False):
    """The case's information sharing record, shown beside the Partnership principle's evidence
    (the practitioner's evidence page; `compact`, under the evidence on the manager's sign-off)."""
    return {"case": case, "shares": list(selectors.case_shares(case)), "can_review": False, "compact": compact}


@register.inclusion_tag("partnership/_pdf_section.html")
def partnership_pdf_section(case, heading=True):
    """The staff case summary's "Working with partners" section: every caused enquiry, meeting and
    share (the subject access export prints it per case, under its own heading)."""
    return {
        "heading": heading,
        "level": 3 if heading else 4,
        "case": case,
        "caused": list(selectors.case_caused_enquiries(case)),
        "meetings": list(selectors.case_meetings(case)),
        "shares": list(selectors.case_shares(case)),
    }
