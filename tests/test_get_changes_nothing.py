"""A GET never changes stored data, walked over the whole URL policy table.

Every table except the audit log (reads of case data are audited on purpose), sessions and
django-axes' sign-in records is fingerprinted before and after a GET of each URL by every
actor of the policy (allowed, refused, out of scope, anonymous); URLs whose rule is a POST
must refuse the GET with 405.
"""

import hashlib

import pytest
from django.apps import apps
from django.test import Client

from accounts.tests.test_url_access import TABLE
from accounts.tests.url_policy import ACTORS
from tests.walker import allowed_actor, every_url, sign_in, url_for

pytestmark = pytest.mark.django_db

#: Written by design on a read: the audit log of who read what, sessions, sign-in tracking.
NOT_FINGERPRINTED = {"accounts.auditevent", "sessions.session", "axes.accessattempt", "axes.accesslog"}
NOT_FINGERPRINTED |= {"axes.accessfailurelog"}


def fingerprint():
    """{model label: SHA-256 of all its rows in primary-key order} for every fingerprinted model."""
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_FINGERPRINTED or model._meta.proxy:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        result[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return result


def _actor(name):
    """A signed-in actor the policy lets through (200 for a page, 2xx/3xx for a POST rule)."""
    for status in (200, 302, 405):
        actor = allowed_actor(name, status)
        if actor is not None:
            return actor
    return "anonymous"


@pytest.mark.parametrize("name", every_url())
def test_get_changes_no_stored_data(name, world):
    """As every actor (allowed, refused, out of scope, anonymous): a GET writes nothing."""
    url = url_for(name, world)  # some rules create the record their URL is about: before the snapshot
    # One client per actor, signed in before the snapshot (signing in records the time of it).
    clients = {actor: sign_in(Client(), world, actor) for actor in ACTORS}
    before = fingerprint()
    for actor, client in clients.items():
        response = client.get(url)
        assert response.status_code < 500, f"{name} as {actor}"
        if TABLE[name].method == "post" and actor == _actor(name):
            assert response.status_code == 405, f"{name} is a POST action but answered GET with {response.status_code}"
            assert "POST" in response["Allow"]
    changed = sorted(label for label, digest in fingerprint().items() if before.get(label) != digest)
    assert changed == [], f"GET {name} changed {changed}"


def test_the_fingerprint_sees_a_change(world):
    before = fingerprint()
    world.team_a.name = "Renamed Team"
    world.team_a.save()
    assert [label for label, digest in fingerprint().items() if before[label] != digest] == ["accounts.team"]
