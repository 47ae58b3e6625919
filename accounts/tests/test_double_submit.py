"""Submitting a record-creating form twice (a double click, a retry, two tabs) saves one record.

Every such form carries a one-time `submission_key`; the second POST with the same key, even
at the same moment as the first, is answered with the first one's result.
"""

import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from outcomes.models import Conversation

KEY = re.compile(r'<input type="hidden" name="submission_key" value="([0-9a-f]{32})">')

#: Every page whose POST creates a record (cases/ and outcomes/), with the actor who may use it.
RECORD_CREATING = [
    ("cases:create", None, "practitioner"),
    ("cases:decision_propose", "case_b", "outsider"),
    ("case_import:upload", None, "lead"),
    ("outcomes:conversation_add", "case", "practitioner"),
    ("outcomes:desired_outcome_add", "case", "practitioner"),
    ("outcomes:capacity_add", "case", "practitioner"),
    ("outcomes:advocacy_add", "case", "practitioner"),
    ("outcomes:declined_add", "case", "practitioner"),
    ("outcomes:plan_action_add", "case", "practitioner"),
    ("quality:audit_create", None, "lead"),
    ("cases:risk_add", "case", "practitioner"),
    ("feedback:at_closure", "case", "practitioner"),
]


def test_every_create_or_add_page_of_cases_and_outcomes_is_listed_here():
    names = {
        f"{namespace}:{name}"
        for namespace, (_, resolver) in get_resolver().namespace_dict.items()
        if namespace in ("cases", "case_import", "outcomes", "quality")
        for name in resolver.reverse_dict
        if isinstance(name, str) and any(word in name for word in ("create", "_add", "new", "upload"))
    }
    assert names <= {name for name, _, _ in RECORD_CREATING}


def _conversation(key):
    return {
        "held_on": "2020-01-02",
        "mode": "phone",
        "with_adult": "on",
        "spoken_to_alone": "True",
        "what_matters": "Keep my cat.",
        "outcomes_discussion": "expressed",
        "submission_key": key,
    }


def _key(client, url):
    found = KEY.search(client.get(url).content.decode())
    assert found, "the form carries no submission key"
    return found.group(1)


@pytest.mark.parametrize(("name", "case", "actor"), RECORD_CREATING)
def test_every_record_creating_form_carries_a_one_time_key(world, login, name, case, actor):
    if name == "cases:decision_propose":
        world.case_b.state = "concern"
        world.case_b.save()
    if name == "cases:risk_add":  # risks are added during an open enquiry
        world.case.state = "enquiry_open"
        world.case.save()
    url = reverse(name, args=[getattr(world, case).pk] if case else [])
    assert resolve(url).func.once_per_key
    client = login(world.user(actor))
    first, second = _key(client, url), _key(client, url)
    assert first != second  # a new key for each time the form is shown


def test_a_second_identical_post_returns_the_first_result_and_saves_nothing(world, login):
    url = reverse("outcomes:conversation_add", args=[world.case.pk])
    client = login(world.practitioner)
    key = uuid.uuid4().hex  # what the form carries
    first = client.post(url, _conversation(key))
    second = client.post(url, _conversation(key))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Conversation.objects.filter(case=world.case).count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "This was already saved" in page


def test_a_form_shown_again_with_errors_keeps_its_key_and_saves_once_corrected(world, login):
    url = reverse("outcomes:conversation_add", args=[world.case.pk])
    client = login(world.practitioner)
    key = _key(client, url)
    wrong = client.post(url, {**_conversation(key), "spoken_to_alone": "False"})
    assert wrong.status_code == 200
    assert f'name="submission_key" value="{key}"' in wrong.content.decode()
    assert client.post(url, _conversation(key)).status_code == 302
    assert client.post(url, _conversation(key)).status_code == 302
    assert Conversation.objects.filter(case=world.case).count() == 1


def test_a_new_form_is_a_new_record(world, login):
    url = reverse("outcomes:conversation_add", args=[world.case.pk])
    client = login(world.practitioner)
    client.post(url, _conversation(_key(client, url)))
    client.post(url, _conversation(_key(client, url)))
    assert Conversation.objects.filter(case=world.case).count() == 2


def test_another_users_key_is_not_theirs_to_replay(world, login, client):
    url = reverse("outcomes:conversation_add", args=[world.case.pk])
    login(world.practitioner)
    key = _key(client, url)
    assert client.post(url, _conversation(key)).status_code == 302
    client.logout()
    login(world.colleague)
    assert client.post(url, _conversation(key)).status_code == 302
    assert Conversation.objects.filter(case=world.case).count() == 2


def test_the_second_concern_of_a_double_click_is_not_a_second_case(world, login):
    from cases.models import Case
    from cases.tests.factories import concern_form_data

    url = reverse("cases:create")
    client = login(world.practitioner)
    key = uuid.uuid4().hex  # what the form carries
    data = {**concern_form_data(world.team_a), "submission_key": key}
    before = Case.objects.count()
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert second["Location"] == first["Location"]
    assert Case.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_save_one_conversation(world):
    url = reverse("outcomes:conversation_add", args=[world.case.pk])
    key = uuid.uuid4().hex  # what the form carries
    barrier = threading.Barrier(2)
    answers = []

    def submit():
        client = Client()
        client.force_login(world.practitioner)
        try:
            barrier.wait()
            response = client.post(url, _conversation(key))
            answers.append((response.status_code, response.get("Location")))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2
    assert {status for status, _ in answers} == {302}
    assert len({location for _, location in answers}) == 1
    assert Conversation.objects.filter(case=world.case).count() == 1
