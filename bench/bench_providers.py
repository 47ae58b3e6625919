"""The provider pattern page ("Concerns by provider") on the benchmark dataset, as a safeguarding
lead over all teams and as the manager of one team: the default period (three calendar
months), a full year, and one team chosen.

Prints `page.providers.<case>.<who> <median> ms` and `page.providers.<case>.<who>.queries <n> queries`.
Page views add SEARCH audit entries (append-only); nothing else is written.
"""

import datetime
import sys

from bench import harness


def run(emit):
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.http import urlencode

    from accounts.models import Team, User
    from cases.models import Risk

    users = {u.username: u for u in User.objects.filter(username__in=["lead", "manager"])}
    north = Team.objects.get(name="North Locality Team")
    named = Risk.objects.filter(provider__isnull=False).count()
    print(f"# {named:,} risks name a provider", file=sys.stderr)
    today = timezone.localdate()
    year = {"start": (today - datetime.timedelta(days=365)).isoformat(), "end": today.isoformat()}
    queries = [("default", {}), ("year", year), ("team", {"team": north.pk})]
    for who in ("lead", "manager"):
        client = harness.signed_in_client(users[who])
        for name, query in queries:
            url = reverse("partners:providers") + (f"?{urlencode(query)}" if query else "")
            harness.time_page(emit, f"providers.{name}.{who}", client, url)
