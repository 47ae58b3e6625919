"""Hypothesis fuzzing of every form: no input makes a page fail with a server error.

The forms are discovered, not listed: every URL of the policy table whose rule is a POST, and
every page a user may GET that offers a `<form method="post">` to its own address (fields read
from the page itself, `tests/forms.py`). For each, an allowed user posts generated data: random
unicode with control characters, huge strings, numbers far out of range, impossible dates,
wrong version numbers, missing fields, unknown extra fields, several values for one field,
and junk files. Any 2xx, 3xx or 4xx answer is fine; a 500 fails. Where the page answers by
showing the form again, every plain word typed into a text box must still be in it.

`FUZZ_EXAMPLES` (default 6) sets the examples per form: `FUZZ_EXAMPLES=200 make fuzz` for a
long local run.
"""

import os
import re
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.test_url_access import TABLE
from tests.forms import Field, own_forms
from tests.walker import allowed_actor, every_url, get_pages, sign_in, url_for

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
MISSING = object()
NASTY = [
    "", " ", "\x00", "\x1b[31m", "\u202eevil", "0", "-1", "1e309", "NaN", "-0", "99999999999999999999999999",
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "0001-01-01", "-2026-01-01", "2026-01-01T25:61",
    "True", "on", "None", "null", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "%s%n%x", "../../etc/passwd",
    "\ud7ff\ue000", "🙂" * 40, "x" * 100_000,
]  # fmt: skip
PLAIN = st.text(string.ascii_letters, min_size=4, max_size=12).filter(
    lambda w: w.lower() not in ("true", "none", "null")
)
JUNK = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(st.characters(max_codepoint=0x1F), max_size=10),  # control characters
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.text(min_size=3000, max_size=6000),
)
#: Kinds whose value the page shows back in the field when the form is shown again.
ECHOED = {"text", "textarea", "search", "email", "tel", "url"}


def _actor(name):
    rule = TABLE[name]
    if rule.method == "post":
        return next((a for a, s in rule.expect.items() if a != "anonymous" and s in (200, 302)), "anonymous")
    return allowed_actor(name)


def _candidates():
    return sorted(n for n in every_url() if TABLE[n].method == "post" or allowed_actor(n) is not None)


def _value(field):
    options = [v for v in field.values if v]
    choices = [st.just(MISSING), JUNK, st.lists(JUNK, min_size=2, max_size=3)]
    if field.current:
        choices.append(st.just(field.current if field.kind == "checkbox" else field.current[0]))
    if options:
        choices += [st.sampled_from(options), st.lists(st.sampled_from(options), max_size=len(options))]
    if field.kind in ECHOED:
        choices += [PLAIN, PLAIN]
    if field.kind == "file":
        choices.append(st.binary(max_size=2000).map(lambda b: SimpleUploadedFile("fuzz.csv", b, "text/csv")))
    return st.one_of(choices)


def _fields_of(name, world, client, url):
    rule = TABLE[name]
    if rule.method == "post":
        data = rule.data(world) if rule.data else {}
        return {key: Field(key, "text", current=[str(value)]) for key, value in data.items()}
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return None
    forms = own_forms(response.content.decode(), url)
    if not forms:
        return None
    return {key: f for key, f in forms[0].fields.items() if key != "csrfmiddlewaretoken"}


def _assert_typed_words_kept(name, url, fields, data, html):
    """When the page shows its form again, every plain word typed into a text box is still there."""
    if not own_forms(html, url):
        return
    for key, value in data.items():
        field = fields.get(key)
        typed_word = isinstance(value, str) and re.fullmatch(r"[A-Za-z]{4,12}", value)
        if field is not None and field.kind in ECHOED and typed_word:
            assert escape(value) in html, f"{name}: {key}={value!r} was lost when the form came back"


@pytest.mark.parametrize("name", _candidates())
def test_no_form_input_causes_a_server_error(name, world, client):
    url = url_for(name, world)  # some rules create the record their URL is about
    actor = _actor(name)
    sign_in(client, world, actor)
    fields = _fields_of(name, world, client, url)
    if fields is None:
        pytest.skip(f"{name} offers no form of its own")

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
        data = {key: value for key, value in values.items() if value is not MISSING}
        data.update({key: value for key, value in extra.items() if key not in fields and key != "csrfmiddlewaretoken"})
        sign_in(client, world, actor)
        response = client.post(url, data)
        assert response.status_code < 500, f"{name}: {response.status_code} for {data!r:.500}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            _assert_typed_words_kept(name, url, fields, data, response.content.decode())

    post_generated_data()


#: Query parameters the pages read (filters, paging, the search token, where to go next), and
#: random names besides.
QUERY_KEYS = st.one_of(
    st.sampled_from(["page", "s", "next", "q", "team", "stage", "abuse_type", "received_from", "received_to"]),
    st.sampled_from(["overdue", "sort", "format", "pk", "version"]),
    st.text(min_size=1, max_size=10),
)


@pytest.mark.parametrize("name", get_pages())
def test_no_query_string_causes_a_server_error(name, world, client):
    url = url_for(name, world)
    actor = allowed_actor(name)

    @settings(
        max_examples=max(2, EXAMPLES // 2),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=st.dictionaries(QUERY_KEYS, st.one_of(JUNK, st.lists(JUNK, max_size=3)), max_size=4))
    def get_with_generated_query(query):
        sign_in(client, world, actor)
        response = client.get(url, query)
        assert response.status_code < 500, f"{name}: {response.status_code} for ?{query!r:.500}"

    get_with_generated_query()
