"""The anonymous questionnaire: a one-time code printed on the adult's summary opens it at
/feedback/ without an account; the answers are kept apart from the case (team and quarter only)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from feedback import services
from feedback.anonymous import SESSION_KEY
from feedback.models import FeedbackCode, FeedbackItem, FeedbackResponse, QuoteStatus, Route, quarter_start
from feedback.questions import QUESTIONS

from .anonymous import answer_everything, code_from, summary_html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("easy_read", [True, False])
def test_the_summary_prints_a_one_time_code_stored_only_as_its_hash(world, monkeypatch, settings, easy_read):
    settings.SITE_URL = "https://safeguarding.example.org"
    html = summary_html(world.case, monkeypatch, easy_read=easy_read)
    code = code_from(html)
    assert "https://safeguarding.example.org/feedback/" in html
    stored = FeedbackCode.objects.get()
    assert stored.team == world.team_a and stored.used_on is None
    assert stored.expires_on == timezone.localdate() + datetime.timedelta(days=settings.FEEDBACK_CODE_DAYS)
    assert code.replace("-", "") not in stored.code_hash and stored.code_hash == services.code_hash(code)
    # The code's row names nothing but the team: no case, summary or person.
    assert {f.name for f in FeedbackCode._meta.concrete_fields} == {"id", "code_hash", "team", "expires_on", "used_on"}


def test_an_adult_answers_with_the_code_and_it_is_spent(world, monkeypatch, client):
    code = code_from(summary_html(world.case, monkeypatch))
    check = answer_everything(
        client, code.lower().replace("-", " "), answer="partly", words="Kind people.", consent=True
    )
    assert check.status_code == 200 and "Kind people." in check.content.decode()
    sent = client.post(reverse("tell_us:check"), {})
    assert sent.status_code == 302 and sent["Location"] == reverse("tell_us:done")
    response = FeedbackResponse.objects.get()
    assert (response.route, response.team, response.quarter_start) == (
        Route.ANONYMOUS,
        world.team_a,
        quarter_start(timezone.localdate()),
    )
    assert response.items.count() == len(QUESTIONS)
    assert response.answers()["q3_listened"] == "partly"
    assert response.answers()["q1_asked"] == "rather_not_say"  # "partly" is not on its scale
    assert response.quote_status == QuoteStatus.PENDING
    assert FeedbackCode.objects.get().used_on == timezone.localdate()
    assert SESSION_KEY not in client.session

    again = Client().post(reverse("tell_us:start"), {"code": code})
    assert again.status_code == 200 and "This code does not work" in again.content.decode()


def test_no_case_or_person_id_is_stored_with_the_answers_or_in_the_audit_log(world, monkeypatch, client):
    code = code_from(summary_html(world.case, monkeypatch))
    audit_before = set(AuditEvent.objects.values_list("pk", flat=True))
    answer_everything(client, code, words="My worker listened.", consent=True)
    client.post(reverse("tell_us:check"), {})
    response = FeedbackResponse.objects.get()
    assert response.case_id is None and response.asked_by_id is None
    assert response.asked_on is None and response.recorded_at is None  # not even a time of day
    # Every column of its row and its answers' rows: no case, person or user id among them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_feedbackresponse WHERE id = %s", [response.pk])
        columns = [c.name for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    linked = {name: value for name, value in row.items() if name.endswith("_id") and value is not None}
    assert linked == {"team_id": world.team_a.pk}
    item_columns = {f.column for f in FeedbackItem._meta.concrete_fields}
    assert item_columns == {"id", "response_id", "question", "answer"}
    # The audit entries the anonymous journey wrote name no case, no person and no row.
    written = AuditEvent.objects.exclude(pk__in=audit_before)
    assert written.count() == 1
    for event in written:
        assert event.case_id is None and event.actor_id is None and event.object_id == ""
        assert not event.object_type.startswith("cases.")
        text = f"{event.detail} {event.fields} {event.changes}"
        assert str(world.case.ref) not in text and "My worker" not in text
    # And the database refuses an anonymous response with a case.
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackResponse.objects.create(
            route=Route.ANONYMOUS,
            version="adult",
            team=world.team_a,
            quarter_start=response.quarter_start,
            case=world.case,
        )


def test_an_expired_or_unknown_code_does_not_open_it(world, client):
    code, _ = services.issue_code(team=world.team_a, today=timezone.localdate() - datetime.timedelta(days=400))
    for attempt in (code, "ABCD-EFGH-JK", ""):
        page = client.post(reverse("tell_us:start"), {"code": attempt})
        assert page.status_code == 200
        assert "This code does not work" in page.content.decode() or "Type the code" in page.content.decode()
    assert SESSION_KEY not in client.session


def test_a_code_spent_meanwhile_in_another_browser_saves_nothing_twice(world, client):
    code, _ = services.issue_code(team=world.team_a)
    answer_everything(client, code)
    other = Client()
    answer_everything(other, code)
    assert other.post(reverse("tell_us:check"), {}).status_code == 302
    used = client.post(reverse("tell_us:check"), {})
    assert used.status_code == 409 and "This code has been used" in used.content.decode()
    assert FeedbackResponse.objects.count() == 1


def test_pages_cannot_be_skipped_and_no_default_answer_is_given(world, client):
    code, _ = services.issue_code(team=world.team_a)
    client.post(reverse("tell_us:start"), {"code": code})
    assert client.get(reverse("tell_us:step", args=["q5_safer"]))["Location"] == reverse("tell_us:step", args=["who"])
    assert client.get(reverse("tell_us:check"))["Location"] == reverse("tell_us:step", args=["who"])
    client.post(reverse("tell_us:step", args=["who"]), {"version": "adult"})
    page = client.get(reverse("tell_us:step", args=["q1_asked"])).content.decode()
    assert "Did we ask you what you wanted to happen?" in page and "Question 1 of 13" in page
    assert "checked" not in page
    refused = client.post(reverse("tell_us:step", args=["q1_asked"]), {})
    assert "You can choose “I&#x27;d rather not say”" in refused.content.decode()


def test_without_a_code_the_pages_say_to_start_with_it(client):
    for url in (reverse("tell_us:step", args=["who"]), reverse("tell_us:check")):
        page = client.get(url)
        assert page.status_code == 200 and "You need the code from your letter first." in page.content.decode()


def test_the_honeypot_refuses_and_saves_nothing(world, client):
    code, _ = services.issue_code(team=world.team_a)
    assert client.post(reverse("tell_us:start"), {"code": code, "website": "spam"}).status_code == 400
    answer_everything(client, code)
    assert client.post(reverse("tell_us:check"), {"website": "x"}).status_code == 400
    assert not FeedbackResponse.objects.exists()
    assert FeedbackCode.objects.get().used_on is None


def test_one_address_trying_codes_is_rate_limited_and_another_is_not(world, settings):
    settings.FEEDBACK_CODE_RATE = "3/h"
    guesser = Client(REMOTE_ADDR="192.0.2.20")
    for _ in range(3):
        assert guesser.post(reverse("tell_us:start"), {"code": "ABCD-EFGH-JK"}).status_code == 200
    refused = guesser.post(reverse("tell_us:start"), {"code": "ABCD-EFGH-JK"})
    assert refused.status_code == 429 and "too many tries" in refused.content.decode()
    assert Client(REMOTE_ADDR="192.0.2.21").post(reverse("tell_us:start"), {"code": "X"}).status_code == 200


def test_a_very_long_message_is_refused_and_kept(world, client):
    code, _ = services.issue_code(team=world.team_a)
    answer_everything(client, code)
    words = "I want to say this. " * 200
    page = client.post(reverse("tell_us:step", args=["words"]), {"anything_else": words})
    assert page.status_code == 200
    body = page.content.decode()
    assert "This must be 2,000 characters or fewer" in body and words.strip() in body.replace("&#x27;", "'")


def test_the_questionnaire_pages_need_no_javascript(world, client):
    code, _ = services.issue_code(team=world.team_a)
    client.post(reverse("tell_us:start"), {"code": code})
    client.post(reverse("tell_us:step", args=["who"]), {"version": "adult"})
    for url in (reverse("tell_us:start"), reverse("tell_us:step", args=["q1_asked"])):
        body = client.get(url).content.decode()
        assert '<form method="post"' in body and 'type="submit"' in body
        assert "onclick" not in body and 'type="radio"' in body or 'name="code"' in body
