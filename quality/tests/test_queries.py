"""Every practice-quality page runs the same number of queries whatever the size of the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Principle
from quality import services

from .data import make_closed_enquiries

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
PERIOD = {"date_from": START.isoformat(), "date_to": END.isoformat()}


def _grow(world, user, cases, audits):
    make_closed_enquiries(world.team_a, cases, start=START, end=END, seed=cases)
    make_closed_enquiries(world.team_b, cases // 2, start=START, end=END, seed=cases + 1)
    made = []
    for _ in range(audits):
        audit = services.create_practice_audit(
            actor=user, team=None if user == world.lead else world.team_a, start=START, end=END, size=cases
        )
        for row in audit.audit_cases.all():
            services.save_case_ratings(
                actor=user, audit_case=row, ratings={p.value: ("met", "Synthetic.") for p in Principle}
            )
        made.append(audit)
    return made[-1]


def _pages(audit):
    first = audit.audit_cases.order_by("order").first()
    return {
        "index": (reverse("quality:index"), PERIOD),
        "index_default": (reverse("quality:index"), {}),
        "audit_list": (reverse("quality:audit_list"), {"sort": "-created"}),
        "audit_create": (reverse("quality:audit_create"), {}),
        "audit_detail": (reverse("quality:audit_detail", args=[audit.pk]), {}),
        "audit_rate": (reverse("quality:audit_rate", args=[first.pk]), {}),
    }


def _count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["manager", "lead"])
def test_query_counts_do_not_grow_with_the_data(world, login, actor):
    user = world.user(actor)
    client = login(user)
    small = _grow(world, user, 3, 1)
    small_counts = {name: _count(client, url, params) for name, (url, params) in _pages(small).items()}
    large = _grow(world, user, 30, 4)
    large_counts = {name: _count(client, url, params) for name, (url, params) in _pages(large).items()}
    assert small_counts == large_counts
    # The figures page: session and user, the teams for the form, the figures transaction (savepoint,
    # JIT off, release) around four figures queries, and the audit entry.
    assert large_counts["index"] <= 18
