"""Two managers allocating the same enquiry at once: the later one is told, never silently wins."""

import threading

import pytest
from django.db import connection

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cases import services
from cases.models import Enquiry
from cases.tests.factories import EnquiryFactory


def _other_manager(world):
    return UserFactory(username="manny", first_name="Manny", role=Role.MANAGER, teams=[world.team_a])


def test_the_allocation_form_carries_the_enquiry_version(world, login):
    enquiry = EnquiryFactory(case__team=world.team_a)
    page = login(world.manager).get(f"/cases/{enquiry.case.pk}/allocate/").content.decode()
    assert f'name="version" value="{enquiry.version}"' in page


def test_second_manager_sees_a_conflict_with_who_it_is_allocated_to_and_their_choice_kept(world, login, client):
    enquiry = EnquiryFactory(case__team=world.team_a)
    url = f"/cases/{enquiry.case.pk}/allocate/"
    version = enquiry.version
    first = login(world.manager)
    assert first.post(url, {"lead_practitioner": world.colleague.pk, "version": version}).status_code == 302
    client.logout()
    second = login(_other_manager(world))
    response = second.post(url, {"lead_practitioner": world.practitioner.pk, "version": version})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else allocated this enquiry while you were choosing" in body
    assert f"It is now allocated to {world.colleague.display_name}" in body
    # What they chose is still selected, and the form now carries the current version.
    assert f'<option value="{world.practitioner.pk}" selected>' in body
    assert f'name="version" value="{version + 1}"' in body
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner == world.colleague
    # Having seen it, they can choose to re-allocate.
    again = second.post(url, {"lead_practitioner": world.practitioner.pk, "version": version + 1})
    assert again.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner == world.practitioner


def test_a_post_without_the_version_is_refused_with_a_message(world, login):
    enquiry = EnquiryFactory(case__team=world.team_a)
    response = login(world.manager).post(
        f"/cases/{enquiry.case.pk}/allocate/", {"lead_practitioner": world.colleague.pk}
    )
    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner is None


def test_the_allocation_service_refuses_a_stale_version(world):
    enquiry = EnquiryFactory(case__team=world.team_a)
    Enquiry.objects.filter(pk=enquiry.pk).update(version=7)
    with pytest.raises(services.EditConflict) as conflict:
        services.allocate_enquiry(
            actor=world.manager, enquiry=enquiry, lead_practitioner=world.colleague, expected_version=1
        )
    assert conflict.value.current.version == 7
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner is None


@pytest.mark.django_db(transaction=True)
def test_two_managers_allocating_at_the_same_moment_one_wins_one_is_told(world):
    enquiry = EnquiryFactory(case__team=world.team_a)
    second_manager = _other_manager(world)
    barrier = threading.Barrier(2)
    outcomes = {}

    def allocate(actor, practitioner):
        try:
            barrier.wait()
            services.allocate_enquiry(
                actor=actor, enquiry=enquiry, lead_practitioner=practitioner, expected_version=enquiry.version
            )
            outcomes[actor.pk] = "allocated"
        except services.EditConflict as conflict:
            outcomes[actor.pk] = conflict.current.lead_practitioner_id
        finally:
            connection.close()

    threads = [
        threading.Thread(target=allocate, args=(world.manager, world.colleague)),
        threading.Thread(target=allocate, args=(second_manager, world.practitioner)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    enquiry.refresh_from_db()
    assert sorted(outcomes.values(), key=str).count("allocated") == 1
    winner = enquiry.lead_practitioner_id
    loser_saw = [value for value in outcomes.values() if value != "allocated"]
    assert loser_saw == [winner]
    assert enquiry.version == 2
