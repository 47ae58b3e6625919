"""`{% documents_work_panel %}`: the documents, notes and contacts added to the team's cases in
the last week, on the team dashboard (the workspace app knows nothing else about this app)."""

import datetime

from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()

#: Rows shown in each dashboard table (the case pages list them all).
PANEL_ROWS = 25


@register.inclusion_tag("documents/_work_panel.html", takes_context=True)
def documents_work_panel(context):
    user, team = context["request"].user, context.get("team")
    since = timezone.now() - datetime.timedelta(days=selectors.RECENT_DAYS)
    return {
        "days": selectors.RECENT_DAYS,
        "documents": list(selectors.recent_documents(user, team=team, since=since)[:PANEL_ROWS]),
        "contacts": list(selectors.recent_contacts(user, team=team, since=since)[:PANEL_ROWS]),
        "rows": PANEL_ROWS,
    }
