"""Helpers for the anonymous questionnaire's tests: a summary's code, answering every page, and
everything the database holds (to show an address or number is stored nowhere)."""

import re

from django.db import connection
from django.urls import reverse

from feedback.anonymous import STEPS
from feedback.questions import BY_CODE

CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2})\b")


def summary_html(case, monkeypatch, *, easy_read=True):
    """Render the adult's summary as the worker does, returning the HTML given to the PDF renderer."""
    from outcomes import rendering
    from outcomes.models import SummaryDocument

    seen = []

    def fake_pdf(html, accessible=False):
        seen.append(html)
        return b"%PDF-1.7 synthetic"

    monkeypatch.setattr(rendering, "html_to_pdf", fake_pdf)
    summary = SummaryDocument.objects.create(case=case, easy_read=easy_read)
    rendering.summary_render(summary_id=summary.pk)
    return seen[0]


def code_from(text):
    found = CODE.search(text)
    assert found, "no feedback code in the summary"
    return found.group(1)


def answer_everything(client, code, *, answer="yes", words="", consent=False, version="adult"):
    """Open the questionnaire with `code` and answer every page; returns the check page's response."""
    assert client.post(reverse("tell_us:start"), {"code": code}).status_code == 302
    for step in STEPS:
        if step == "who":
            data = {"version": version}
        elif step == "words":
            data = {"anything_else": words, **({"share_consent": "on"} if consent else {})}
        else:
            scale = BY_CODE[step].answers
            data = {"answer": answer if answer in scale else "rather_not_say"}
        response = client.post(reverse("tell_us:step", args=[step]), data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return client.get(reverse("tell_us:check"))


def everything_stored():
    """Every column of every table, as one string (what was sent once must be in none)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            found.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(found)
