"""The managers' workspace pages (dashboard, lists, sign-off queue, caseload, My work) on the
benchmark dataset, as a safeguarding lead over all teams and as the manager of one team.

Prints `page.workspace.<page>.<who> <median> ms` and `page.workspace.<page>.<who>.queries <n> queries`.
Page views add SEARCH audit entries (append-only); nothing else is written.
"""

import sys

from bench import harness


def pages(ids):
    """(name, url name, query) for every dashboard and list page."""
    return [
        ("dashboard", "workspace:dashboard", {}),
        ("dashboard_team", "workspace:dashboard", {"team": ids["team"]}),
        ("cases", "workspace:cases", {}),
        ("cases_unallocated", "workspace:cases", {"attention": "unallocated"}),
        ("cases_overdue_decision", "workspace:cases", {"attention": "overdue_decision"}),
        ("cases_no_contact", "workspace:cases", {"attention": "no_contact"}),
        ("cases_enquiry_open_newest", "workspace:cases", {"stage": "enquiry_open", "sort": "-received"}),
        ("cases_practitioner", "workspace:cases", {"practitioner": ids["practitioner"], "sort": "enquiry_started"}),
        ("queue", "workspace:queue", {}),
        ("queue_closures", "workspace:queue", {"kind": "closures"}),
        ("caseload", "workspace:caseload", {}),
        ("actions", "workspace:actions", {}),
        ("followups", "workspace:followups", {}),
        ("my_work", "workspace:my_work", {}),
    ]


def run(emit):
    from django.urls import reverse
    from django.utils.http import urlencode

    from accounts.models import Team, User
    from cases.models import OPEN_STATES, Case

    users = {u.username: u for u in User.objects.filter(username__in=["lead", "manager", "practitioner"])}
    north = Team.objects.get(name="North Locality Team")
    ids = {"team": north.pk, "practitioner": users["practitioner"].pk}
    open_cases = Case.objects.filter(state__in=OPEN_STATES).count()
    print(f"# {open_cases:,} open cases; manager works in {north.name}", file=sys.stderr)
    for who in ("lead", "manager"):
        client = harness.signed_in_client(users[who])
        for name, url_name, query in pages(ids):
            url = reverse(url_name) + (f"?{urlencode(query)}" if query else "")
            harness.time_page(emit, f"workspace.{name}.{who}", client, url)
    client = harness.signed_in_client(users["practitioner"])
    harness.time_page(emit, "workspace.my_work.practitioner", client, reverse("workspace:my_work"))
