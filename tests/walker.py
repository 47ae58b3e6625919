"""Turn the URL access tables into requests a cross-cutting test can make.

Every URL in `accounts/tests/test_url_access.py`'s `TABLE` is covered, so views other
engineers add later are checked by these suites without anyone editing them.
"""

from django.urls import reverse

from accounts.tests.test_url_access import TABLE

ALLOWED = (200, 302)


def url_for(name, world):
    rule = TABLE[name]
    return reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else {})


def allowed_actor(name, status=200):
    """The first actor the policy lets through with `status` (signed-in actors first), or None."""
    expect = TABLE[name].expect
    for actor, seen in expect.items():
        if actor != "anonymous" and seen == status:
            return actor
    return "anonymous" if expect.get("anonymous") == status else None


def sign_in(client, world, actor):
    client.logout()
    if actor != "anonymous":
        client.force_login(world.user(actor))
    return client


def get_pages():
    """URL names answered with a page (GET, 200) by at least one actor."""
    return sorted(n for n, r in TABLE.items() if r.method == "get" and allowed_actor(n) is not None)


def every_url():
    return sorted(TABLE)
