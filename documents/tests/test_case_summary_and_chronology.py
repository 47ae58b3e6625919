"""The staff case summary PDF and the chronology show the documents list and the notes and contacts."""

import pytest
from django.urls import reverse

from outcomes import case_summary, rendering
from reporting.pdf import pdf_text

from .factories import CaseContactFactory, CaseDocumentFactory

pytestmark = pytest.mark.django_db


def test_the_staff_case_summary_lists_documents_and_contacts(world):
    CaseDocumentFactory(case=world.case, uploaded_by=world.practitioner, description="Letter from the GP")
    CaseContactFactory(case=world.case, recorded_by=world.practitioner, what="Bank froze the account.")
    document = case_summary.request_case_summary(case=world.case, actor=world.practitioner)
    rendering.render_case_summary(document_id=document.pk)
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "Documents" in text and "Letter from the GP" in text
    assert "Notes and contacts" in text and "Bank froze the account." in text


def test_the_case_page_links_to_documents_and_contacts(world, login):
    page = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert reverse("documents:case_documents", args=[world.case.pk]) in page
    assert reverse("documents:case_contacts", args=[world.case.pk]) in page


def test_only_a_lead_s_case_page_links_to_the_subject_access_export(world, login):
    url = reverse("documents:subject_access")
    assert url in login(world.lead).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert url not in login(world.manager).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
