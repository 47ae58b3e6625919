"""Stored markup in a person's name is shown as text, never run."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_name(world):
    person = world.case.person
    person.preferred_name = PAYLOAD
    person.legal_name = PAYLOAD
    person.save()
    return world


@pytest.mark.parametrize("page_name", ["cases:list", "cases:detail", "cases:access_log"])
def test_payload_in_a_name_is_escaped(hostile_name, login, page_name):
    world = hostile_name
    args = [] if page_name == "cases:list" else [world.case.pk]
    html = login(world.manager).get(reverse(page_name, args=args)).content.decode()
    assert PAYLOAD not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
