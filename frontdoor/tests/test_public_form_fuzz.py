"""Hypothesis fuzzing of every page of the public form, as an anonymous visitor part-way through.

The project's form fuzzer (`tests/test_form_fuzz.py`) already posts to the first page as a signed-in
user; this walks each page as the public reaches it (earlier pages answered, in the session),
for both kinds of referrer, with the same generated data: no input gives a server error, and a
page shown again keeps every plain word typed.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdoor.flow import SLUGS
from frontdoor.tests.walk import PROFESSIONAL, PUBLIC, fill_in
from tests.forms import own_forms
from tests.test_form_fuzz import EXAMPLES, JUNK, MISSING, _assert_typed_words_kept, _value

pytestmark = pytest.mark.django_db

PAGES = [(kind, slug) for kind in ("public", "professional") for slug in [*SLUGS, "check"]]


@pytest.mark.parametrize(("kind", "slug"), PAGES)
def test_no_input_to_a_public_page_causes_a_server_error(kind, slug, client):
    answers = PUBLIC if kind == "public" else PROFESSIONAL
    url = reverse("report:check") if slug == "check" else reverse("report:step", args=[slug])
    before = answers if slug == "check" else {k: v for k, v in answers.items() if SLUGS.index(k) < SLUGS.index(slug)}

    def reach_the_page():
        client.cookies.clear()
        if before:
            fill_in(client, before)
        response = client.get(url)
        assert response.status_code == 200
        return response

    [form] = own_forms(reach_the_page().content.decode(), url)
    fields = {key: f for key, f in form.fields.items() if key != "csrfmiddlewaretoken"}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        values=st.fixed_dictionaries({key: _value(f) for key, f in fields.items()}),
        extra=st.dictionaries(st.text(min_size=1, max_size=12), JUNK, max_size=2),
    )
    def post_generated_data(values, extra):
        reach_the_page()
        data = {key: value for key, value in values.items() if value is not MISSING}
        data.update({key: value for key, value in extra.items() if key not in fields and key != "csrfmiddlewaretoken"})
        response = client.post(url, data)
        assert response.status_code < 500, f"{slug}: {response.status_code} for {data!r:.500}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            _assert_typed_words_kept(slug, url, fields, data, response.content.decode())

    post_generated_data()
