"""Changing whether a saved document, note or contact may be disclosed to the adult: the reason
required, the change in the chronology and the audit log, the subject access export redacting
from then on (the change's own chronology line included), and who may make it."""

import html

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from cases.models import CaseEvent, CaseState
from documents import subject_access
from documents.models import CaseContact, CaseDocument, SubjectAccessExport

from .factories import CaseContactFactory, CaseDocumentFactory

pytestmark = pytest.mark.django_db

REASON = "Disclosure would prejudice a police investigation."


def _document(world, **extra):
    return CaseDocumentFactory(
        case=world.case, uploaded_by=world.practitioner, description="Police intelligence report", **extra
    )


def _url(record):
    name = "documents:document_disclosure" if isinstance(record, CaseDocument) else "documents:contact_disclosure"
    return reverse(name, args=[record.case_id, record.pk])


def test_a_practitioner_withholds_a_saved_document_and_the_export_redacts_it_everywhere(world, login):
    document = _document(world)
    client = login(world.practitioner)
    listing = client.get(reverse("documents:case_documents", args=[world.case.pk])).content.decode()
    assert _url(document) in listing
    response = client.post(_url(document), {"withheld_from_adult": "on", "withheld_reason": REASON})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.withheld_from_adult and document.withheld_reason == REASON
    line = CaseEvent.objects.get(case=world.case, kind="documents:disclosure").summary
    assert line == "Document (Letter: Police intelligence report): now not to be disclosed to the adult."
    audit = AuditEvent.objects.get(object_type="documents.casedocument", action="update", object_id=str(document.pk))
    assert audit.case_id == world.case.pk and audit.detail == "disclosure to the adult: disclosable to withheld"
    # The attack: the description must not reach the adult through the change's own chronology line.
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    text = " ".join(subject_access.render_html(export).split())
    assert "Police intelligence report" not in text
    assert REASON in text


def test_withholding_needs_the_reason_and_keeps_what_was_typed(world, login):
    contact = CaseContactFactory(case=world.case, recorded_by=world.practitioner)
    response = login(world.practitioner).post(_url(contact), {"withheld_from_adult": "on", "withheld_reason": "  "})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Say why this is not to be disclosed to the adult." in page
    assert 'name="withheld_from_adult"' in page and "checked" in page
    contact.refresh_from_db()
    assert not contact.withheld_from_adult
    assert not CaseEvent.objects.filter(kind="documents:disclosure").exists()


def test_releasing_a_contact_clears_the_reason_and_the_export_shows_it_again(world, login):
    contact = CaseContactFactory(
        case=world.case, recorded_by=world.practitioner, what="Neighbour named the nephew.",
        withheld_from_adult=True, withheld_reason="Third-party information given in confidence.",
    )  # fmt: skip
    client = login(world.practitioner)
    form = client.get(_url(contact)).content.decode()
    assert "Third-party information given in confidence." in form  # the form opens on the saved marking
    assert client.post(_url(contact), {"withheld_reason": "ignored when not withheld"}).status_code == 302
    contact.refresh_from_db()
    assert not contact.withheld_from_adult and contact.withheld_reason == ""
    assert CaseEvent.objects.get(kind="documents:disclosure").summary.endswith("now may be disclosed to the adult.")
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    assert "Neighbour named the nephew." in subject_access.render_html(export)


def test_saving_the_same_marking_changes_nothing_and_records_nothing(world, login):
    document = _document(world)
    login(world.practitioner).post(_url(document), {})
    assert not CaseEvent.objects.filter(kind="documents:disclosure").exists()
    assert not AuditEvent.objects.filter(object_type="documents.casedocument", action="update").exists()


def test_on_a_closed_case_only_managers_and_leads_may_change_it(world, login, client):
    document = _document(world)
    world.case.state = CaseState.CLOSED
    world.case.save(update_fields=["state"])
    assert login(world.practitioner).get(_url(document)).status_code == 409  # a rule of the stage
    listing = client.get(reverse("documents:case_documents", args=[world.case.pk])).content.decode()
    assert _url(document) not in listing
    for user in (world.manager, world.lead):
        response = login(user).post(_url(document), {"withheld_from_adult": "on", "withheld_reason": REASON})
        assert response.status_code == 302
    assert CaseDocument.objects.get().withheld_from_adult


def test_another_case_s_record_or_another_team_answers_404(world, login):
    document = _document(world)
    other = CaseContactFactory(case=world.case_b, recorded_by=world.outsider)
    client = login(world.practitioner)
    wrong_case = reverse("documents:document_disclosure", args=[world.case_b.pk, document.pk])
    assert client.get(wrong_case).status_code == 404
    assert client.get(_url(other)).status_code == 404
    assert (
        login(world.outsider).post(_url(document), {"withheld_from_adult": "on", "withheld_reason": REASON}).status_code
        == 404
    )
    assert not CaseContact.objects.filter(withheld_from_adult=True).exists()
    assert not CaseDocument.objects.get().withheld_from_adult
