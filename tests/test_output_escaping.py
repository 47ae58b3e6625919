"""Stored markup is shown as text, never run: on every page of the URL table and in every PDF.

`poison_every_text_field()` writes the payload into every free-text column of every row the
apps store (names, concern text, outcomes, team names, user names...), so a page or field added
later is covered without editing this test.
"""

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils.html import escape

from tests.walker import allowed_actor, get_pages, sign_in, url_for

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
ESCAPED = escape(PAYLOAD)
APPS = ("accounts", "cases", "documents", "frontdoor", "notifications", "outcomes", "quality", "reporting", "workspace")
#: Append-only by design (and it stores field names, never values).
SKIP_MODELS = {"accounts.auditevent"}
#: Kept exactly as sent by a database trigger (frontdoor 0002): switched off inside the test's
#: transaction to poison the rows, so it comes back when the transaction is rolled back.
READ_ONLY_TRIGGERS = {"frontdoor_submission": "frontdoor_submission_read_only"}
SKIP_FIELDS = {"password"}


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not field.primary_key
            and field.name not in SKIP_FIELDS
            and (field.max_length is None or field.max_length >= len(PAYLOAD) + 8)
        ):
            yield field.attname


def poison_every_text_field():
    """Put the payload (made unique per row) into every free-text field of every stored row."""
    poisoned = []
    with connection.cursor() as cursor:
        for table, trigger in READ_ONLY_TRIGGERS.items():
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            else:
                cursor.execute(f"DROP TRIGGER {trigger}")
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label_lower in SKIP_MODELS or model._meta.proxy:
                continue
            fields = list(_text_fields(model))
            if not fields:
                continue
            for pk in model._base_manager.values_list("pk", flat=True):
                model._base_manager.filter(pk=pk).update(**dict.fromkeys(fields, f"{PAYLOAD}#{pk}"))
            poisoned += [f"{model._meta.label_lower}.{f}" for f in fields]
    return poisoned


@pytest.mark.parametrize("name", get_pages())
def test_stored_markup_is_escaped_on_every_page(name, world, client):
    url = url_for(name, world)  # some rules create the record their URL is about
    poisoned = poison_every_text_field()
    assert {"cases.person.legal_name", "accounts.team.name", "frontdoor.submission.what_happened"} <= set(poisoned)
    sign_in(client, world, allowed_actor(name))
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return  # files and JSON are not parsed as HTML; the PDFs are checked below
    html = response.content.decode()
    assert "<script>alert" not in html, f"{name}: stored markup reached the page unescaped"
    assert "<img src=x" not in html
    if name in (
        "cases:detail",
        "cases:list",
        "cases:access_log",
        "outcomes:enquiry",
        "accounts:user_list",
        "frontdoor:queue",
        "frontdoor:submission",
        "documents:case_documents",
        "documents:case_contacts",
    ):
        assert ESCAPED in html, f"{name}: expected the stored value, escaped"


def _flat(text):
    return " ".join(text.split())


def test_stored_markup_is_literal_text_in_the_summary_pdf(world):
    from outcomes import rendering, services
    from outcomes.tests.factories import (
        AdvocacyFactory,
        ConversationFactory,
        DesiredOutcomeFactory,
        NegotiatedOutcomeFactory,
        PlanActionFactory,
    )
    from reporting.pdf import pdf_text

    ConversationFactory(case=world.case)
    NegotiatedOutcomeFactory(desired_outcome=DesiredOutcomeFactory(case=world.case))
    AdvocacyFactory(case=world.case, kind="independent")
    PlanActionFactory(case=world.case)
    poisoned = poison_every_text_field()
    for field in (
        "cases.person.preferred_name",
        "outcomes.conversation.what_matters",
        "outcomes.desiredoutcome.words",
        "outcomes.negotiatedoutcome.words",
        "outcomes.planaction.action",
        "outcomes.advocacy.advocate",
    ):
        assert field in poisoned
    summary = services.summary_request(case=world.case, actor=world.practitioner)
    rendering.summary_render(summary_id=summary.pk)
    summary.refresh_from_db()
    assert summary.status == "done", summary.error
    text = _flat(pdf_text(summary.file.read()))
    # Each free-text value is printed as the characters typed: the markup is text, not layout.
    assert text.count('<script>alert("xss")</script>') >= 6, text[:2000]
    assert "<img src=x onerror=alert(1)>" in text


def test_stored_markup_is_literal_text_in_the_sab_report_pdf(world):
    """A board report has one stored free-text value: the name of the team it is about."""
    from reporting import services
    from reporting.models import ReportRun, ReportStatus
    from reporting.pdf import pdf_text
    from reporting.tests import scenario

    scenario.build([world.team_a, world.team_b])
    run = ReportRun.objects.create(
        requested_by=world.lead, period_start=scenario.FY_START, period_end=scenario.FY_END, team=world.team_a
    )
    poison_every_text_field()
    services.run_report(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.failure_reason
    text = _flat(pdf_text(run.pdf.read()))
    assert f"Team: {PAYLOAD}#{world.team_a.pk}" in text
