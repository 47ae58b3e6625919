"""The staff case summary PDF: the whole record, rendered on the worker, audited, restricted like the case."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseAccessGrant, CaseEvent, CaseState, Risk, RiskType
from cases.tests.factories import DecisionFactory
from outcomes import case_summary, rendering
from outcomes.models import CaseSummaryDocument
from reporting.pdf import pdf_text

from .factories import (
    AdvocacyFactory,
    CapacityAssessmentFactory,
    ClosureReviewFactory,
    ConversationFactory,
    DeclinedSupportFactory,
    DesiredOutcomeFactory,
    NegotiatedOutcomeFactory,
    PlanActionFactory,
    PrincipleCheckFactory,
)

OBJECT_TYPE = "outcomes.casesummarydocument"


def _request(client, case, capture):
    with capture(execute=True):
        return client.post(reverse("outcomes:case_summary_request", args=[case.pk]))


def _render(case, actor):
    document = case_summary.request_case_summary(case=case, actor=actor)
    rendering.render_case_summary(document_id=document.pk)
    document.refresh_from_db()
    with document.file.open("rb") as f:
        return f.read()


def _whole_record(world):
    """A case with something in every part of the record (synthetic people only)."""
    case = world.case
    person = case.person
    person.legal_name = "Winifred Synthetic"
    person.preferred_name = "Winnie"
    person.nhs_number = "9434765919"
    person.communication_needs = "Large print letters."
    person.save()
    case.what_happened = "Her nephew took money from her pension account."
    case.immediate_actions = "Bank card cancelled."
    case.save()
    risk = Risk.objects.create(case=case, location="own_home", source="known")
    RiskType.objects.create(risk=risk, abuse_type="financial")
    DecisionFactory(
        case=case,
        status="signed_off",
        proposed_by=world.practitioner,
        reviewed_by=world.manager,
        reviewed_at=timezone.now(),
        review_comments="Clear rationale on all three criteria.",
    )
    ConversationFactory(case=case, what_matters="I want to keep my flat.", next_steps="Ring the bank together.")
    NegotiatedOutcomeFactory(
        desired_outcome=DesiredOutcomeFactory(case=case, words="I do not want the police told."),
        words="The police will be told; you choose whether to speak to them.",
    )
    CapacityAssessmentFactory(case=case, decision="Whether to move to sheltered housing.", about_the_enquiry=False)
    AdvocacyFactory(case=case, advocate="Synthetic Advocacy Service")
    DeclinedSupportFactory(case=case, what_was_declined="A day centre place.")
    PlanActionFactory(case=case, action="Bank to add a safeguarding marker.")
    PrincipleCheckFactory(case=case, principle="empowerment", evidence="Winnie chose who came to the meeting.")
    ClosureReviewFactory(
        case=case,
        status="signed_off",
        signed_off_by=world.manager,
        signed_off_at=timezone.now(),
        manager_comments="Good MSP practice; well done.",
    )
    # The person's words moved from the closure review to the feedback app's questionnaire.
    from feedback.tests.factories import response as feedback_response

    feedback_response(case=case, anything_else="I feel safer now.", answers={"q5_safer": "yes"})
    CaseEvent.objects.create(case=case, at=timezone.now(), kind="note", summary="Strategy meeting held.")
    return case


def test_a_practitioner_requests_and_downloads_the_case_summary_with_audit(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.practitioner)
    response = _request(client, world.case, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[world.case.pk]) + "#case-summary-heading"
    document = CaseSummaryDocument.objects.get(case=world.case)
    assert document.status == "done" and document.requested_by == world.practitioner
    assert document.render_ms is not None

    page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    url = reverse("outcomes:case_summary_download", args=[document.pk])
    assert 'id="case-summary-heading"' in page and url in page
    assert "/media/" not in page

    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert f'filename="case-summary-{world.case.ref}.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    events = AuditEvent.objects.filter(object_type=OBJECT_TYPE)
    assert events.filter(action="create", actor=world.practitioner).count() == 1
    assert events.filter(action="export", actor=None).count() == 1
    assert events.filter(action="download", actor=world.practitioner).count() == 1
    assert CaseEvent.objects.filter(case=world.case, kind="outcomes:case_summary").count() == 1


def test_the_task_is_given_the_document_id_only(world, login, monkeypatch, django_capture_on_commit_callbacks):
    from outcomes import tasks

    sent = []
    monkeypatch.setattr(tasks.render_case_summary, "delay", lambda *args, **kwargs: sent.append((args, kwargs)))
    _request(login(world.practitioner), world.case, django_capture_on_commit_callbacks)
    document = CaseSummaryDocument.objects.get(case=world.case)
    assert sent == [((document.pk,), {})]
    assert document.status == "queued"


def test_running_the_task_twice_keeps_one_file_and_one_export(world, settings, tmp_path):
    from outcomes.tasks import render_case_summary

    settings.MEDIA_ROOT = tmp_path
    document = CaseSummaryDocument.objects.create(case=world.case, requested_by=world.practitioner)
    render_case_summary.delay(document.pk)
    document.refresh_from_db()
    first = document.file.name
    render_case_summary.delay(document.pk)
    document.refresh_from_db()
    assert document.status == "done" and document.file.name == first
    assert len(list((tmp_path / "case-summaries").rglob("*.pdf"))) == 1
    assert AuditEvent.objects.filter(object_type=OBJECT_TYPE, action="export").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_unavailable_queue_fails_the_request_at_once_with_a_message(world, login, monkeypatch):
    from kombu.exceptions import OperationalError

    from outcomes import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("broker down")

    # Real commits, so the on-commit send runs inside the request as it does in production.
    monkeypatch.setattr(tasks.render_case_summary, "delay", refuse)
    response = login(world.practitioner).post(
        reverse("outcomes:case_summary_request", args=[world.case.pk]), follow=True
    )
    assert CaseSummaryDocument.objects.get(case=world.case).status == "failed"
    assert any("could not be prepared" in str(m) for m in response.context["messages"])


def test_the_case_summary_holds_the_whole_record(world):
    case = _whole_record(world)
    text = " ".join(pdf_text(_render(case, world.practitioner)).split())
    expected = [
        f"Case summary: case {case.ref}",
        # The adult
        "Winnie",
        "Winifred Synthetic",
        "943 476 5919",
        "Large print letters.",
        # The concern and its risks
        "Her nephew took money from her pension account.",
        "Bank card cancelled.",
        "Financial or material",
        "Own home",
        "Other – known to the individual",
        # The decision, with its sign-off comment
        "Receives home care four times a day.",
        "Clear rationale on all three criteria.",
        # The enquiry
        "Section 42",
        # The MSP record
        "I want to keep my flat.",
        "Ring the bank together.",
        "I do not want the police told.",
        "The police will be told; you choose whether to speak to them.",
        "Whether to move to sheltered housing.",
        "Synthetic Advocacy Service",
        "A day centre place.",
        "Bank to add a safeguarding marker.",
        "Winnie chose who came to the meeting.",
        # The closure review and its sign-off
        "I feel safer now.",
        "Good MSP practice; well done.",
        # The chronology
        "Strategy meeting held.",
        "Staff case summary (PDF) requested.",
    ]
    missing = [words for words in expected if words not in text]
    assert not missing, missing


def test_the_case_summary_is_a_tagged_pdf(world, tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    pdf = _render(world.case, world.practitioner)
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    path = tmp_path / "case-summary.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert re.search(rf"^Title:\s+Case summary – case {world.case.ref}$", info, re.MULTILINE), info


def test_a_closed_case_can_still_be_summarised(world, login, django_capture_on_commit_callbacks):
    world.case.state = CaseState.CLOSED
    world.case.save(update_fields=["state"])
    _request(login(world.colleague), world.case, django_capture_on_commit_callbacks)
    assert CaseSummaryDocument.objects.get(case=world.case).status == "done"


@pytest.mark.parametrize("who", ["outsider", "manager_b", "sab_member", "sysadmin"])
def test_a_user_out_of_scope_can_neither_request_nor_download_it(world, login, who):
    document = case_summary.request_case_summary(case=world.case, actor=world.practitioner)
    rendering.render_case_summary(document_id=document.pk)
    client = login(world.user(who))
    expected = 403 if who in ("sab_member", "sysadmin") else 404
    assert client.post(reverse("outcomes:case_summary_request", args=[world.case.pk])).status_code == expected
    assert client.get(reverse("outcomes:case_summary_download", args=[document.pk])).status_code == expected
    assert CaseSummaryDocument.objects.filter(case=world.case).count() == 1
    assert not AuditEvent.objects.filter(object_type=OBJECT_TYPE, action="download").exists()


def test_a_restricted_case_summary_is_only_for_the_named_users(world, login):
    document = case_summary.request_case_summary(case=world.case, actor=world.practitioner)
    rendering.render_case_summary(document_id=document.pk)
    world.case.restricted = True
    world.case.restricted_reason = "staff"
    world.case.save(update_fields=["restricted", "restricted_reason"])
    CaseAccessGrant.objects.create(case=world.case, user=world.practitioner)
    url = reverse("outcomes:case_summary_download", args=[document.pk])
    request_url = reverse("outcomes:case_summary_request", args=[world.case.pk])
    colleague = login(world.colleague)
    assert colleague.get(url).status_code == 404
    assert colleague.post(request_url).status_code == 404
    assert login(world.practitioner).get(url).status_code == 200
    assert CaseSummaryDocument.objects.filter(case=world.case).count() == 1
