"""Every page carries the security headers, walked over the whole URL policy table."""

import pytest

from accounts.tests.test_url_access import TABLE
from tests.walker import allowed_actor, get_pages, sign_in, url_for

pytestmark = pytest.mark.django_db


def _directives(header):
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0].lower()] = [w.lower() for w in words[1:]]
    return result


@pytest.mark.parametrize("name", get_pages())
def test_page_sends_the_security_headers(name, world, client):
    sign_in(client, world, allowed_actor(name))
    response = client.get(url_for(name, world))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert "no-store" in response["Cache-Control"]
    if response["Content-Type"].startswith("text/html"):
        assert response["X-Frame-Options"] == "DENY"
        csp = _directives(response["Content-Security-Policy"])
        for directive in ("script-src", "style-src"):
            sources = csp.get(directive, csp.get("default-src"))
            assert sources, f"{name}: no {directive} in the CSP"
            assert "'unsafe-inline'" not in sources, f"{name}: {directive} allows inline code"
            assert "'unsafe-eval'" not in sources
        assert csp.get("frame-ancestors") == ["'none'"]
        assert csp.get("object-src") == ["'none'"]


@pytest.mark.parametrize("name", get_pages())
def test_page_sends_hsts_over_https(name, world, client):
    sign_in(client, world, allowed_actor(name))
    response = client.get(url_for(name, world), secure=True)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_error_pages_send_the_headers_too(world, client):
    sign_in(client, world, "sysadmin")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_refusals_and_redirects_send_the_headers_too(name, world, client):
    """The 403 a wrong role sees and the redirect an anonymous visitor gets are protected as well."""
    rule = TABLE[name]
    url = url_for(name, world)  # once: some rules build records for their URL
    for status in (403, 404, 302):
        actor = allowed_actor(name, status)
        if actor is None:
            continue
        sign_in(client, world, actor)
        response = client.post(url, rule.data(world) if rule.data else {}) if rule.method == "post" else client.get(url)
        assert response.status_code == status
        assert "no-store" in response["Cache-Control"], f"{name} as {actor}"
        assert response["X-Content-Type-Options"] == "nosniff"
        if response["Content-Type"].startswith("text/html"):
            assert "'unsafe-inline'" not in response["Content-Security-Policy"]
