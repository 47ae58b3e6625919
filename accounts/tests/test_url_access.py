"""Walk every URL pattern as every role and as an anonymous visitor."""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.url_policy import ACTORS

APPS = (
    "accounts",
    "cases",
    "feedback",
    "frontdoor",
    "notifications",
    "outcomes",
    "partnership",
    "quality",
    "reporting",
    "workspace",
)
EXTRA_TABLES = (
    "cases.tests.access_table_import",
    "documents.tests.access_table",
    "sars.tests.access_table",
    "organisational.tests.access_table",
    "harm.tests.access_table",
)


def _table():
    table = {}
    for name in [f"{app}.tests.access_table" for app in APPS] + list(EXTRA_TABLES):
        module = importlib.import_module(name)
        overlap = set(table) & set(module.ACCESS)
        assert not overlap, f"URL names listed twice: {overlap}"
        table.update(module.ACCESS)
    return table


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name, so it cannot be in the policy table"
            yield f"{namespace}{entry.name}"


TABLE = _table()


def test_every_url_pattern_is_in_the_policy_table():
    served = set(_url_names())
    missing = served - set(TABLE)
    stale = set(TABLE) - served
    assert not missing, f"URLs with no access rule: {sorted(missing)}"
    assert not stale, f"Access rules for URLs that do not exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_answers_each_actor_as_the_policy_says(name, world, client):
    rule = TABLE[name]
    assert set(rule.expect) == set(ACTORS), f"{name}: the rule must name every actor"
    kwargs = rule.kwargs(world) if rule.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    seen = {}
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.user(actor))
        data = rule.data(world) if rule.data else {}
        response = client.post(url, data) if rule.method == "post" else client.get(url)
        seen[actor] = response.status_code
        if actor == "anonymous" and response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), f"{name}: anonymous not sent to login"
    assert seen == rule.expect
