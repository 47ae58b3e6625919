"""The allocation lists (one enquiry, or many from the workspace) show each practitioner's
open caseload beside their name, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseState
from cases.selectors import open_caseloads
from cases.tests.factories import EnquiryFactory
from workspace import selectors

pytestmark = pytest.mark.django_db


def _label(body, user, select):
    """The text of `user`'s option in the <select name=`select`>."""
    options = body.split(f'name="{select}"', 1)[1].split("</select>", 1)[0].split("<option")[1:]
    return next(o for o in options if f'value="{user.pk}"' in o).split(">", 1)[1].split("<", 1)[0]


def _load(world):
    """Pat leads 3 open enquiries (the world's one, another, one awaiting closure); Cole leads none.
    A concluded enquiry and one in another team do not count, in the manager's scope."""
    EnquiryFactory(case__team=world.team_a, lead_practitioner=world.practitioner)
    EnquiryFactory(case__team=world.team_a, lead_practitioner=world.practitioner, case__state=CaseState.CLOSURE_PENDING)
    EnquiryFactory(case__team=world.team_a, lead_practitioner=world.practitioner, case__state=CaseState.CLOSED)
    EnquiryFactory(case__team=world.team_b, lead_practitioner=world.outsider)


def test_allocating_one_enquiry_shows_each_practitioners_open_caseload(world, login):
    _load(world)
    waiting = EnquiryFactory(case__team=world.team_a)
    body = login(world.manager).get(reverse("cases:allocate", args=[waiting.case.pk])).content.decode()
    label = _label(body, world.practitioner, "lead_practitioner")
    assert label == f"{world.practitioner.display_name} (Practitioner): 3 open enquiries"
    assert (
        _label(body, world.colleague, "lead_practitioner")
        == f"{world.colleague.display_name} (Practitioner): 0 open enquiries"
    )


def test_the_workspace_allocation_list_shows_each_practitioners_open_caseload(world, login):
    _load(world)
    EnquiryFactory(case__team=world.team_a, lead_practitioner=world.colleague)
    body = login(world.manager).get(reverse("workspace:cases")).content.decode()
    assert (
        _label(body, world.practitioner, "to") == f"{world.practitioner.display_name} (Practitioner): 3 open enquiries"
    )
    assert _label(body, world.colleague, "to") == f"{world.colleague.display_name} (Practitioner): 1 open enquiry"


def test_the_caseload_counts_match_the_caseload_page(world):
    _load(world)
    rows = {row["user"].pk: row["open"] for row in selectors.caseloads(user=world.manager)}
    loads = open_caseloads(selectors.team_practitioners(user=world.manager), viewer=world.manager)
    assert {pk: loads.get(pk, 0) for pk in rows} == rows


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["cases:allocate", "workspace:cases"])
def test_the_allocation_pages_run_the_same_number_of_queries_whatever_the_caseloads(world, login, name):
    waiting = EnquiryFactory(case__team=world.team_a)
    url = reverse(name, args=[waiting.case.pk]) if name == "cases:allocate" else reverse(name)
    client = login(world.manager)
    client.get(url)  # sessions and caches settle
    small = _count(client, url)
    for _ in range(5):
        EnquiryFactory(case__team=world.team_a, lead_practitioner=world.practitioner)
        EnquiryFactory(case__team=world.team_a, lead_practitioner=world.colleague)
    assert _count(client, url) == small
