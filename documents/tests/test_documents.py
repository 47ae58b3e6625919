"""Attaching and downloading case documents: sniffed types, generated names, attachment-only
downloads, audited, under the case's access rules."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent
from cases.models import CaseAccessGrant, CaseEvent, CaseState
from documents.models import CaseDocument
from documents.sniffing import REFUSED_TYPE

from . import samples

pytestmark = pytest.mark.django_db


def _post(client, case, content, name="letter.pdf", **extra):
    data = {"category": "letter", "description": "Letter from the bank", "file": SimpleUploadedFile(name, content)}
    data.update(extra)
    return client.post(reverse("documents:document_add", args=[case.pk]), data)


def test_a_practitioner_attaches_a_pdf_stored_under_a_generated_name(world, login):
    client = login(world.practitioner)
    response = _post(client, world.case, samples.PDF, name="../../secret/Bank letter.PDF")
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.original_name == "Bank letter.PDF"
    assert document.file.name == f"documents/{document.stored_id}.pdf"
    assert "Bank" not in document.file.name and "secret" not in document.file.name
    assert CaseEvent.objects.filter(case=world.case, kind="documents:document").exists()
    created = AuditEvent.objects.filter(object_type="documents.casedocument", action="create", case_id=world.case.pk)
    assert created.exists()
    page = client.get(reverse("documents:case_documents", args=[world.case.pk])).content.decode()
    assert "Bank letter.PDF" in page and "/media/" not in page


def test_a_renamed_executable_is_refused_with_a_clear_message_and_nothing_is_stored(world, login):
    response = _post(login(world.practitioner), world.case, samples.EXE, name="report.pdf")
    assert response.status_code == 200
    assert REFUSED_TYPE in html.unescape(response.content.decode())
    assert not CaseDocument.objects.exists()


def test_a_pdf_named_like_a_program_is_stored_and_served_as_a_pdf(world, login):
    _post(login(world.practitioner), world.case, samples.PDF, name="setup.exe")
    assert CaseDocument.objects.get().extension == "pdf"


def test_an_oversize_file_is_refused_with_the_limit(world, login, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    response = _post(login(world.practitioner), world.case, samples.PDF + b"x" * 2000)
    assert "the largest file you can attach is 1000" in html.unescape(response.content.decode())
    assert not CaseDocument.objects.exists()


def test_an_empty_file_is_refused(world, login):
    response = _post(login(world.practitioner), world.case, b"")
    assert "The file is empty" in html.unescape(response.content.decode())


def test_a_photograph_of_an_injury_needs_its_consent_noted_and_keeps_what_was_typed(world, login):
    response = _post(login(world.practitioner), world.case, samples.png(), name="arm.png", category="injury_photo",
                     description="Bruise on the left arm")  # fmt: skip
    page = html.unescape(response.content.decode())
    assert "Say how the adult consented" in page
    assert "Bruise on the left arm" in page
    assert not CaseDocument.objects.exists()


def test_withholding_from_the_adult_needs_a_reason(world, login):
    client = login(world.practitioner)
    response = _post(client, world.case, samples.PDF, withheld_from_adult="on")
    assert "Say why this is not to be disclosed" in html.unescape(response.content.decode())
    _post(client, world.case, samples.PDF, withheld_from_adult="on", withheld_reason="Names a third party.")
    assert CaseDocument.objects.get().withheld_reason == "Names a third party."


def test_a_download_is_an_audited_attachment_that_is_never_rendered_inline(world, login):
    client = login(world.practitioner)
    _post(client, world.case, samples.PDF)
    document = CaseDocument.objects.get()
    response = client.get(reverse("documents:document_download", args=[world.case.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"case-{world.case.ref}-document-{document.pk}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == samples.PDF
    downloads = AuditEvent.objects.filter(action="download", object_type="documents.casedocument")
    assert downloads.filter(actor=world.practitioner).count() == 1


def test_a_document_of_another_case_or_team_is_not_found(world, login):
    _post(login(world.practitioner), world.case, samples.PDF)
    document = CaseDocument.objects.get()
    client = login(world.practitioner)
    assert client.get(reverse("documents:document_download", args=[world.case_b.pk, document.pk])).status_code == 404
    client = login(world.outsider)
    assert client.get(reverse("documents:document_download", args=[world.case.pk, document.pk])).status_code == 404


def test_a_restricted_case_s_documents_are_for_its_named_users_only(world, login):
    _post(login(world.practitioner), world.case, samples.PDF)
    document = CaseDocument.objects.get()
    world.case.restricted = True
    world.case.save()
    CaseAccessGrant.objects.create(case=world.case, user=world.practitioner, granted_by=world.lead)
    url = reverse("documents:document_download", args=[world.case.pk, document.pk])
    assert login(world.colleague).get(url).status_code == 404
    assert login(world.colleague).get(reverse("documents:case_documents", args=[world.case.pk])).status_code == 404
    assert login(world.practitioner).get(url).status_code == 200


def test_a_closed_case_takes_no_new_documents(world, login):
    world.case.state = CaseState.CLOSED
    world.case.save()
    response = _post(login(world.practitioner), world.case, samples.PDF)
    assert response.status_code == 409 or "can no longer be changed" in html.unescape(response.content.decode())
    assert not CaseDocument.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.binary(max_size=3000),
    name=st.text(min_size=0, max_size=5000),
    ending=st.sampled_from([".pdf", ".exe", ".docx", ".png", ".txt", ".jpg.exe", "", ".PDF", ".."]),
)
def test_fuzzed_uploads_are_stored_safely_or_refused_with_a_message(world, client, content, name, ending):
    from django.core.exceptions import SuspiciousFileOperation
    from hypothesis import assume

    try:  # a name Django's own upload class refuses (".."): no browser's file can carry it
        SimpleUploadedFile((name + ending) or "x", b"")
    except SuspiciousFileOperation:
        assume(False)
    client.force_login(world.practitioner)
    before = CaseDocument.objects.count()
    response = _post(client, world.case, content, name=(name + ending) or "x")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = html.unescape(response.content.decode())
        assert "There is a problem" in page
        assert CaseDocument.objects.count() == before
    else:
        document = CaseDocument.objects.latest("id")
        assert document.file.name == f"documents/{document.stored_id}.{document.extension}"
        assert len(document.original_name) <= 120
