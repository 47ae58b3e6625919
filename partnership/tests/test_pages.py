"""The partnership pages' addresses, their audit, and the case access rules they follow."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from cases.models import CaseState

pytestmark = pytest.mark.django_db

LISTS = {
    "partnership:caused_list": "/cases/{pk}/caused-enquiries/",
    "partnership:meeting_list": "/cases/{pk}/meetings/",
    "partnership:share_list": "/cases/{pk}/information-sharing/",
}


@pytest.mark.parametrize(("name", "address"), LISTS.items())
def test_each_list_page_is_at_its_address_under_the_case_and_its_reading_is_audited(world, login, name, address):
    url = reverse(name, args=[world.case.pk])
    assert url == address.format(pk=world.case.pk)
    assert login(world.colleague).get(url).status_code == 200
    assert AuditEvent.objects.filter(
        actor=world.colleague, action=AuditAction.VIEW, case_id=world.case.pk, object_type="cases.case"
    ).exists()


@pytest.mark.parametrize("name", ["partnership:caused_new", "partnership:meeting_new", "partnership:share_new"])
def test_a_closed_case_takes_no_new_partnership_record(world, login, name):
    world.case.state = CaseState.CLOSED
    world.case.save(update_fields=["state"])
    response = login(world.practitioner).get(reverse(name, args=[world.case.pk]))
    assert response.status_code == 409
    assert (
        "can no longer be changed" in response.content.decode()
        or "while the enquiry is open" in response.content.decode()
    )


def test_the_case_page_links_to_the_three_partnership_pages(world, login):
    html = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    for name in LISTS:
        assert f'href="{reverse(name, args=[world.case.pk])}"' in html
