"""No URL accepts a POST without a CSRF token, walked over the whole URL policy table."""

import pytest
from django.test import Client
from django.urls import resolve

from accounts.models import AuditAction, AuditEvent
from accounts.tests.test_url_access import TABLE
from tests.walker import every_url, sign_in, url_for

pytestmark = pytest.mark.django_db

WRITES = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.STATE, AuditAction.IMPORT)


def _posting_actor(name):
    """An actor the policy lets use the URL (POST rules: the one that gets 2xx/3xx)."""
    expect = TABLE[name].expect
    for actor, status in expect.items():
        if actor != "anonymous" and status in (200, 201, 204, 302, 303):
            return actor
    return "anonymous"


@pytest.mark.parametrize("name", every_url())
def test_post_without_a_csrf_token_is_refused(name, world):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world, _posting_actor(name))
    rule = TABLE[name]
    url = url_for(name, world)
    data = rule.data(world) if rule.data else {}
    writes_before = AuditEvent.objects.filter(action__in=WRITES).count()
    response = client.post(url, data)
    assert response.status_code == 403, f"{name}: POST without a CSRF token answered {response.status_code}"
    assert AuditEvent.objects.filter(action__in=WRITES).count() == writes_before


@pytest.mark.parametrize("name", every_url())
def test_no_view_is_csrf_exempt(name, world):
    match = resolve(url_for(name, world))
    assert not getattr(match.func, "csrf_exempt", False), f"{name} is csrf_exempt"


def test_post_with_the_token_gets_through(world):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world, "sysadmin")
    url = url_for("accounts:team_create", world)
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"name": "West Team", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
