"""Every workspace page runs the same number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import audit
from workspace.tests.workspace_data import add_workload

pytestmark = pytest.mark.django_db

PAGES = [
    ("manager", "workspace:dashboard", {}),
    ("lead", "workspace:dashboard", {}),
    ("lead", "workspace:dashboard", {"team": "team_a", "days": "10"}),
    ("manager", "workspace:cases", {}),
    ("lead", "workspace:cases", {"attention": "unallocated"}),
    ("manager", "workspace:cases", {"attention": "no_contact", "days": "28", "sort": "-received"}),
    ("manager", "workspace:cases", {"attention": "overdue_decision", "team": "team_a"}),
    ("lead", "workspace:cases", {"practitioner": "practitioner", "sort": "enquiry_started"}),
    ("manager", "workspace:export", {"stage": "enquiry_open"}),
    ("manager", "workspace:queue", {}),
    ("lead", "workspace:queue", {"kind": "closures"}),
    ("manager", "workspace:caseload", {}),
    ("lead", "workspace:caseload", {}),
    ("manager", "workspace:actions", {}),
    ("lead", "workspace:followups", {}),
    ("practitioner", "workspace:my_work", {}),
    ("manager", "workspace:my_work", {}),
]


def _params(world, params):
    ids = {"team_a": world.team_a.pk, "practitioner": world.practitioner.pk}
    return {k: ids.get(v, v) for k, v in params.items()}


def _count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("actor", "name", "params"), PAGES)
def test_query_count_is_the_same_at_two_data_sizes(world, client, actor, name, params):
    client.force_login(world.user(actor))
    url, query = reverse(name), _params(world, params)
    add_workload(world, 1)
    client.get(url, query)  # sessions and caches settle
    small = _count(client, url, query)
    add_workload(world, 6)
    add_workload(world, 3, team=world.team_b, lead=world.outsider)
    large = _count(client, url, query)
    assert small == large
    # Session and user (2), the page's own reads (at most 9, the front door's figures: 1, and the
    # independent follow-ups' figures: 1, from feedback's template tag, the reports awaited from
    # partners: 1, and for managers the shares without consent to review: 1, from partnership's
    # template tag, the documents and the notes and contacts added this week: 2, from documents'
    # template tag), the header's notification count (1), at most one audit entry, and the
    # dashboard's figures transaction (its savepoint, SET LOCAL and release here, inside the
    # test's transaction: 3).
    figures = 3 if name == "workspace:dashboard" else 0
    recent = 2 if name == "workspace:dashboard" else 0
    assert large <= 2 + 9 + 1 + 1 + 2 + 1 + audit.queries_per_record() + figures + recent
