"""Practice-quality pages (issue #5, items 4 and 7) as a lead over all teams and as the manager of
one team, on the default period (the last 12 complete months): the measures and trends page,
the audit list, a 50-case audit and its rating page, and drawing a 50-case sample.

Everything this writes (the audits) is rolled back at the end, so the dataset is left as found.
"""

import statistics
import time

from bench import harness


def _draw_ms(client, team, runs=5):
    from django.urls import reverse

    from quality import selectors

    start, end = selectors.default_period()
    data = {"period_start": start.isoformat(), "period_end": end.isoformat(), "sample_size": "50"}
    if team is not None:
        data["team"] = str(team.pk)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.post(reverse("quality:audit_create"), data)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, f"drawing a sample answered {response.status_code}"
    return statistics.median(timings)


def run(emit):
    from django.db import transaction
    from django.urls import reverse

    from accounts.models import User
    from outcomes.models import PracticeAudit

    lead = User.objects.get(username="lead")
    manager = User.objects.get(username="manager")  # one team: North Locality Team
    team = manager.teams.get()
    with transaction.atomic():
        for name, user, team_choice in (("lead", lead, None), ("manager", manager, team)):
            client = harness.signed_in_client(user)
            harness.time_page(emit, f"quality_{name}", client, reverse("quality:index"))
            emit(f"quality.draw_sample_50_{name}", _draw_ms(client, team_choice), "ms")
            audit = PracticeAudit.objects.filter(created_by=user).latest("id")
            harness.time_page(emit, f"quality_audits_{name}", client, reverse("quality:audit_list"))
            harness.time_page(emit, f"quality_audit_{name}", client, reverse("quality:audit_detail", args=[audit.pk]))
            first = audit.audit_cases.order_by("order").first()
            harness.time_page(
                emit, f"quality_audit_rate_{name}", client, reverse("quality:audit_rate", args=[first.pk])
            )
        transaction.set_rollback(True)
