"""A favicon, served by WhiteNoise (never a Django view, so no session or database work), and
linked from every page (issue 19: a page load and the favicon request raced for SQLite)."""

from django.templatetags.static import static


def test_every_page_links_the_favicon(client):
    body = client.get("/account/login/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in body


def test_the_favicon_is_served_by_whitenoise_at_the_site_root(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
