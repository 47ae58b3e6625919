"""The subject access export: a lead's PDF of everything held about one adult, with
redactions marked, built by the task, downloadable once by that lead only."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Role
from accounts.tests.factories import UserFactory
from cases.tests.factories import CaseFactory
from documents import services, subject_access
from documents.models import SubjectAccessExport
from reporting.pdf import pdf_text

from .factories import CaseContactFactory, CaseDocumentFactory

pytestmark = pytest.mark.django_db


def _records(world):
    CaseDocumentFactory(case=world.case, uploaded_by=world.practitioner, description="Letter from the GP")
    CaseDocumentFactory(
        case=world.case,
        uploaded_by=world.practitioner,
        description="Police intelligence report",
        withheld_from_adult=True,
        withheld_reason="Disclosure would prejudice a police investigation.",
    )
    CaseContactFactory(case=world.case, recorded_by=world.practitioner, what="Bank froze the account.")
    CaseContactFactory(
        case=world.case,
        recorded_by=world.practitioner,
        what="Neighbour named the nephew.",
        withheld_from_adult=True,
        withheld_reason="Third-party information given in confidence.",
    )
    services.record_contact(
        case=world.case, actor=world.practitioner, occurred_on=world.case.received_at.date(), party="family",
        contact_name="", organisation="Daughter", method="phone", what="Daughter worried about visits.",
        follow_up="", follow_up_on=None, withheld_from_adult=True, withheld_reason="Daughter asked for confidence.",
    )  # fmt: skip


def test_the_export_lists_everything_and_marks_redactions_with_their_reasons(world):
    _records(world)
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    text = " ".join(subject_access.render_html(export).split())
    assert world.case.ref in text and world.case.person.legal_name in text
    assert "Letter from the GP" in text and "Bank froze the account." in text
    assert "Disclosure would prejudice a police investigation." in text
    assert "Third-party information given in confidence." in text
    for withheld in ("Police intelligence report", "Neighbour named the nephew.", "Daughter worried about visits."):
        assert withheld not in text  # neither in its section nor in the chronology
    assert text.count("Redacted: not to be disclosed to the adult.") >= 5


def test_every_registered_section_is_in_the_export(world):
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    text = subject_access.render_html(export)
    for section in subject_access.SECTIONS:
        assert f"<h2>{section.title}</h2>" in text


def test_the_export_holds_only_that_adult_s_cases(world):
    other = CaseFactory(team=world.team_a)
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    text = subject_access.render_html(export)
    assert world.case.ref in text and other.ref not in text


def test_a_lead_asks_the_task_builds_and_the_lead_downloads_once(world, login, django_capture_on_commit_callbacks):
    _records(world)
    client = login(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:subject_access"), {"case_ref": world.case.ref})
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    assert export.status == "done" and export.requested_by == world.lead
    page = client.get(reverse("documents:subject_access")).content.decode()
    assert "Download the PDF (once)" in page
    url = reverse("documents:subject_access_download", args=[export.pk])
    assert login(UserFactory(role=Role.LEAD)).post(url).status_code == 404  # another lead
    client = login(world.lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 405
        response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(pdf_text(response.content).split())
    assert "Subject access export" in text and "Redacted" in text
    assert client.post(url).status_code == 404  # once only
    export.refresh_from_db()
    assert export.downloaded_at and not export.pdf
    events = AuditEvent.objects.filter(object_type="documents.subjectaccessexport")
    actions = set(events.values_list("action", flat=True))
    assert {"create", "export", "download"} <= actions


def test_an_unknown_or_out_of_scope_reference_is_refused_with_a_message(world, login):
    world.case.restricted = True
    world.case.save()
    response = login(world.lead).post(reverse("documents:subject_access"), {"case_ref": world.case.ref})
    assert "There is no case with this reference that you can see." in response.content.decode()
    assert not SubjectAccessExport.objects.exists()


def test_the_task_is_given_the_export_id_only(world, login, monkeypatch, django_capture_on_commit_callbacks):
    from documents import tasks

    sent = []
    monkeypatch.setattr(tasks.build_subject_access, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        login(world.lead).post(reverse("documents:subject_access"), {"case_ref": world.case.ref})
    assert sent == [(SubjectAccessExport.objects.get().pk,)]


def test_running_the_task_twice_builds_once(world):
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    assert services.run_subject_access(export_id=export.pk) == "done"
    assert services.run_subject_access(export_id=export.pk) == "skipped"
