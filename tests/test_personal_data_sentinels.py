"""No personal data in URLs, logs, Celery task arguments or SAB outputs, checked with sentinels.

A synthetic adult with unique values (names, an NHS number with a valid check digit, an address,
free text) is recorded through the forms, edited, searched for, given a conversation, an
outcome, a caused enquiry, a meeting, an information share, a person alleged to have caused harm
(never on the adult's own summary), a "What you told us" PDF, a
contact, a document and a subject access export; every page of the URL table is then read by a
user allowed to, and a safeguarding lead and a SAB member produce board reports. Meanwhile the
test keeps (a) every URL requested, every redirect and every link, form action and source on
every page; (b) every log record from every logger at DEBUG, as production's JSON formatter
writes it and as caplog sees it; (c) the arguments of every Celery task sent. No sentinel may
appear in any of them, nor in the board's PDF and CSV files.
"""

import io
import json
import logging
import re
from urllib.parse import unquote_plus

import pytest
from celery import Celery
from celery.app.task import Task
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.jsonlog import JsonFormatter
from cases.models import Case, CaseState, Person
from cases.tests.factories import EnquiryFactory, concern_form_data
from partnership.models import PartnerOrganisation
from tests.walker import allowed_actor, get_pages, sign_in, url_for

pytestmark = pytest.mark.django_db


def _nhs_number(first_nine):
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    assert check != 10, "no valid NHS number starts with these digits"
    return f"{first_nine}{check}"


NHS = _nhs_number("999072418")  # 999: the range kept for test data
SENTINELS = {
    "legal name": "Zyxwaltrude Sentinelova",
    "preferred name": "Qorvathine",
    "NHS number": NHS,
    "NHS number (spaced)": f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}",
    "address": "17 Sentinel Quay, Xylotown",
    "what happened": "Kq93-sentinel-free-text bruising",
    "adult wants": "Wv57-sentinel-wish",
    "what matters": "Jp22-sentinel-what-matters",
    "desired outcome": "Rb81-sentinel-desired-outcome",
    "caused enquiry": "Hx64-sentinel-asked-of-a-partner",
    "meeting": "Tz19-sentinel-meeting-decisions",
    "share": "Lm37-sentinel-shared-details",
    "person alleged": "Nv26-sentinel Quorbellan",
}
#: Pieces that must not appear on their own either (a URL could hold a surname alone).
TOKENS = {"Zyxwaltrude", "Sentinelova", "Qorvathine", NHS, "Xylotown", "Kq93", "Wv57", "Jp22", "Rb81"}
TOKENS |= {"Hx64", "Tz19", "Lm37", "Nv26", "Quorbellan"}


class Capture:
    def __init__(self):
        self.urls, self.links, self.tasks = [], [], []

    def response(self, response, method, path):
        self.urls.append(f"{method} {path}")
        if location := response.get("Location"):
            self.urls.append(f"redirect {location}")
        if response.get("Content-Type", "").startswith("text/html") and not getattr(response, "streaming", False):
            self.links += re.findall(r"""(?:href|src|action)=["']([^"']*)["']""", response.content.decode())


def _leaks(texts):
    found = []
    for text in texts:
        plain = unquote_plus(str(text))
        found += [f"{token!r} in {plain[:160]!r}" for token in TOKENS if token in plain]
    return found


@pytest.fixture
def capture(client, monkeypatch):
    captured = Capture()
    request = client.request

    def recording_request(**environ):
        response = request(**environ)
        path = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        captured.response(response, environ.get("REQUEST_METHOD", "GET"), path)
        return response

    monkeypatch.setattr(client, "request", recording_request)

    apply_async, send_task = Task.apply_async, Celery.send_task

    def recording_apply_async(self, args=None, kwargs=None, *rest, **options):
        captured.tasks.append((self.name, args, kwargs))
        return apply_async(self, args, kwargs, *rest, **options)

    def recording_send_task(self, name, args=None, kwargs=None, *rest, **options):
        captured.tasks.append((name, args, kwargs))
        return send_task(self, name, args, kwargs, *rest, **options)

    monkeypatch.setattr(Task, "apply_async", recording_apply_async)
    monkeypatch.setattr(Celery, "send_task", recording_send_task)
    return captured


@pytest.fixture
def every_log_record(caplog, settings):
    """Every record from every logger at DEBUG, formatted by production's JSON formatter.

    Only the loggers our settings pin (`LOGGING["loggers"]`) keep their level: pinning is how
    the settings keep Django's template and SQL debug records, which quote values, out of logs.
    """
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    loggers = [logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    previous = [(logger, logger.level) for logger in [root, *loggers]]
    pinned = set(settings.LOGGING.get("loggers", {}))
    for logger in [root, *loggers]:
        if logger.name not in pinned:
            logger.setLevel(logging.DEBUG)
        if logger is root or not logger.propagate:
            logger.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    yield stream
    for logger, level in previous:
        logger.setLevel(level)
        logger.removeHandler(handler)


def _record_the_sentinel_adult(client, world):
    data = concern_form_data(
        world.team_a,
        **{
            "person-legal_name": SENTINELS["legal name"],
            "person-preferred_name": SENTINELS["preferred name"],
            "person-nhs_number": SENTINELS["NHS number (spaced)"],
            "person-address": SENTINELS["address"],
            "concern-what_happened": SENTINELS["what happened"],
            "concern-adult_wants": SENTINELS["adult wants"],
        },
    )
    response = client.post(reverse("cases:create"), data, follow=True)
    assert response.status_code == 200
    case = Case.objects.get(person__nhs_number=NHS)
    return case


def test_sentinel_personal_data_never_reaches_urls_logs_or_task_arguments(
    world, client, capture, every_log_record, caplog, django_capture_on_commit_callbacks
):
    from outcomes.models import SummaryDocument
    from reporting.models import ReportRun, ReportStatus
    from reporting.pdf import pdf_text
    from reporting.tests import scenario

    scenario.build([world.team_a, world.team_b])
    sign_in(client, world, "practitioner")
    today = timezone.localdate().isoformat()
    case = _record_the_sentinel_adult(client, world)
    # Search by each identifier, as a practitioner looking for the adult would.
    for query in (SENTINELS["legal name"], SENTINELS["NHS number (spaced)"], "Sentinelova"):
        found = client.post(reverse("cases:list"), {"q": query}, follow=True)
        assert case.ref in found.content.decode()
    # A bad NHS number typed into the person form is refused, and the refusal is not logged.
    refused = client.post(reverse("cases:person_edit", args=[case.pk]), {"nhs_number": NHS[:-1] + "x"})
    assert refused.status_code == 200 and "Enter a valid 10-digit NHS number" in refused.content.decode()
    # The decision and sign-off have their own tests: open the enquiry directly.
    Case.objects.filter(pk=case.pk).update(state=CaseState.ENQUIRY_OPEN)
    EnquiryFactory(case=case, lead_practitioner=world.practitioner)
    conversation = {
        "held_on": today,
        "mode": "face_to_face",
        "with_adult": "on",
        "spoken_to_alone": "True",
        "what_matters": SENTINELS["what matters"],
        "outcomes_discussion": "expressed",
    }
    assert client.post(reverse("outcomes:conversation_add", args=[case.pk]), conversation).status_code == 302
    outcome = {"words": SENTINELS["desired outcome"], "expressed_by": "adult", "expressed_on": today}
    assert client.post(reverse("outcomes:desired_outcome_add", args=[case.pk]), outcome).status_code == 302
    # Working together: an enquiry caused to a partner, a meeting with a plan action, a share without consent.
    partner = PartnerOrganisation.objects.create(name="Synthetic Partner Trust", sector="health")
    caused = {
        "partner": partner.pk, "asked": SENTINELS["caused enquiry"], "contact": "Duty desk", "requested_on": today,
        "due_on": today,
    }  # fmt: skip
    assert client.post(reverse("partnership:caused_new", args=[case.pk]), caused).status_code == 302
    meeting = {
        "kind": "strategy", "held_on": today, "adult_attended": "True", "advocate_attended": "False",
        "decisions": SENTINELS["meeting"], "partner_attendees": "Sam Jones, Northshire Police",
        "action-0-action": SENTINELS["meeting"], "action-0-responsible": "Housing", "action-0-due_on": today,
    }  # fmt: skip
    assert client.post(reverse("partnership:meeting_new", args=[case.pk]), meeting).status_code == 302
    share = {
        "direction": "shared", "categories": ["concern"], "details": SENTINELS["share"], "partner": partner.pk,
        "shared_on": today, "lawful_basis": "public_task", "consented": "False", "no_consent_reason": "risk_to_others",
        "adult_told": "True",
    }  # fmt: skip
    assert client.post(reverse("partnership:share_new", args=[case.pk]), share).status_code == 302
    # A person alleged to have caused harm, named on the risk: another data subject.
    alleged = {
        "risk": case.risks.get().pk, "relationship": "paid_carer", "name": SENTINELS["person alleged"],
        "care_needs": "no", "position_of_trust": "employed_adults", "employer": SENTINELS["address"],
    }  # fmt: skip
    assert client.post(reverse("harm_case:name_on_risk", args=[case.pk]), alleged).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("outcomes:summary_request", args=[case.pk])).status_code == 302
    summary = SummaryDocument.objects.get(case=case)
    assert summary.status == "done"
    pdf = b"".join(client.get(reverse("outcomes:summary_download", args=[summary.pk])).streaming_content)
    assert SENTINELS["preferred name"] in pdf_text(pdf)  # the adult's own copy does carry their name
    assert "Quorbellan" not in pdf_text(pdf)  # but never the person alleged to have caused harm
    # A contact and a document about the adult, and a lead's subject access export of them.
    contact = {"occurred_on": today, "party": "family", "contact_name": SENTINELS["legal name"], "method": "phone",
               "organisation": SENTINELS["address"], "what": SENTINELS["what happened"]}  # fmt: skip
    assert client.post(reverse("documents:contact_add", args=[case.pk]), contact).status_code == 302
    letter = SimpleUploadedFile(f"{SENTINELS['legal name']}.txt", b"A synthetic letter.\n")
    document = {"file": letter, "category": "letter", "description": SENTINELS["what happened"]}
    assert client.post(reverse("documents:document_add", args=[case.pk]), document).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, world, "lead")
        assert client.post(reverse("documents:subject_access"), {"case_ref": case.ref}).status_code == 302
    sign_in(client, world, "practitioner")

    # A Safeguarding Adults Review about the sentinel adult, concluded in the board's year: their
    # name is on the lead's register pages, and must be nowhere else (nor in SG5's figures).
    sign_in(client, world, "lead")
    review = {"referred_on": "2024-05-01", "criteria": "s44_1", "decision": "proceed", "decided_on": "2024-06-01"}
    review["concluded_on"] = "2025-01-15"
    created = client.post(reverse("sars:create"), review)
    assert created.status_code == 302
    from sars.models import SafeguardingAdultsReview

    people = reverse("sars:people", args=[SafeguardingAdultsReview.objects.get().pk])
    person = {"name": SENTINELS["legal name"], "harm": "died", "case_ref": case.ref}
    assert client.post(people, person).status_code == 302
    assert SENTINELS["legal name"] in client.get(people).content.decode()
    # The lead finds the person alleged by name (posted) and reads their record across cases.
    found = client.post(reverse("harm:register"), {"name": "Quorbellan"}).content.decode()
    assert SENTINELS["person alleged"] in found
    from harm.models import PersonAlleged

    alleged_person = PersonAlleged.objects.get(name=SENTINELS["person alleged"])
    assert case.ref in client.get(reverse("harm:person", args=[alleged_person.pk])).content.decode()

    # Every page of the URL table about the standard world case, with the sentinels on it.
    Person.objects.filter(pk=world.case.person.pk).update(
        legal_name=SENTINELS["legal name"], address=SENTINELS["address"], nhs_number=""
    )
    state = world.case.state
    for name in get_pages():
        Case.objects.filter(pk=world.case.pk).update(state=state)  # one rule moves the case on
        url = url_for(name, world)
        sign_in(client, world, allowed_actor(name))
        assert client.get(url).status_code == 200, name

    # Board reports: a lead for one team and a SAB member for the whole area.
    period = {"period_start": scenario.FY_START.isoformat(), "period_end": scenario.FY_END.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, world, "lead")
        assert client.post(reverse("reporting:request"), {**period, "team": world.team_a.pk}).status_code == 302
        sign_in(client, world, "sab_member")
        choice = {"period": f"{scenario.FY_START.isoformat()}/{scenario.FY_END.isoformat()}"}
        assert client.post(reverse("reporting:request"), choice).status_code == 302

    # (a) URLs, redirects and every link, form action and source on the pages.
    assert len(capture.urls) > 60 and len(capture.links) > 500
    assert _leaks(capture.urls) == []
    assert _leaks(capture.links) == []
    # (b) logs, at DEBUG, from every logger.
    assert every_log_record.getvalue() or caplog.records
    assert _leaks(every_log_record.getvalue().splitlines()) == []
    assert _leaks(r.getMessage() for r in caplog.records) == []
    assert _leaks(json.dumps(getattr(r, "args", None), default=str) for r in caplog.records) == []
    # (c) Celery task arguments, as sent.
    names = {name for name, _args, _kwargs in capture.tasks}
    assert {"outcomes.tasks.render_summary", "reporting.generate_report", "documents.build_subject_access"} <= names, (
        names
    )
    assert _leaks(repr(task) for task in capture.tasks) == []
    # SAB outputs.
    runs = list(ReportRun.objects.order_by("-pk")[:2])
    assert len(runs) == 2 and all(run.status == ReportStatus.DONE for run in runs)
    assert any(run.team_id is None for run in runs)  # the board's report, with SG5 counting the review
    for run in runs:
        texts = [pdf_text(run.pdf.read()), run.csv.read().decode()]
        assert ("sg5b_people,died,individuals," in texts[1]) == (run.team_id is None)
        if run.csv_unrounded:
            texts.append(run.csv_unrounded.read().decode())
        assert _leaks(texts) == []
