"""One page view, one "Viewed" row, and rows that say which page was read (issue 19)."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent

PAGES = ("cases:detail", "outcomes:enquiry", "cases:chronology")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_view_in_the_browser_writes_one_viewed_row(world, signed_in_page, live_server):
    page = signed_in_page(world.practitioner)
    for name in PAGES:
        before = AuditEvent.objects.filter(case_id=world.case.pk, action="view").count()
        page.goto(live_server.url + reverse(name, args=[world.case.pk]))
        page.wait_for_load_state("networkidle")
        after = AuditEvent.objects.filter(case_id=world.case.pk, action="view").count()
        assert after - before == 1, name


def test_the_access_log_says_which_page_each_view_read(world, login):
    client = login(world.practitioner)
    for name in PAGES:
        client.get(reverse(name, args=[world.case.pk]))
    body = login(world.manager).get(reverse("cases:access_log", args=[world.case.pk])).content.decode()
    table = body[body.index("Every read and change") :]
    for label in ("Viewed: case page", "Viewed: MSP record", "Viewed: chronology"):
        assert label in table


READ_PAGES = (*PAGES, "cases:access_log")


@pytest.mark.parametrize("method", ["head", "options", "post", "put", "delete"])
@pytest.mark.parametrize("name", READ_PAGES)
def test_only_a_get_of_a_page_writes_a_viewed_row(world, login, name, method):
    """A HEAD (link checkers, previews, `curl -I`), OPTIONS or a stray POST shows nothing, so it
    must not add a "Viewed" row beside the real view's: those pages answer GET only."""
    client = login(world.manager)
    url = reverse(name, args=[world.case.pk])
    before = AuditEvent.objects.filter(case_id=world.case.pk, action="view").count()
    response = getattr(client, method)(url)
    assert response.status_code == 405, (name, method, response.status_code)
    assert AuditEvent.objects.filter(case_id=world.case.pk, action="view").count() == before, (name, method)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(case_id=world.case.pk, action="view").count() == before + 1
