"""In the browser, with axe-core on every page: a practitioner attaches a document (a renamed
executable is refused), later marks it not to be disclosed, and records a contact; a lead
makes a subject access export."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from documents.models import CaseContact, CaseDocument, SubjectAccessExport
from reporting.pdf import pdf_text

from . import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def test_a_practitioner_attaches_a_document_and_records_a_contact(world, journey, tmp_path):
    exe = tmp_path / "report.pdf"
    exe.write_bytes(samples.EXE)
    pdf = tmp_path / "Letter from the bank.pdf"
    pdf.write_bytes(samples.PDF)

    j = journey(world.practitioner)
    j.open(f"/cases/{world.case.pk}/")
    j.follow("Documents")
    expect(j.page.get_by_text("No documents attached yet.")).to_be_visible()
    j.follow("Attach a document")
    j.page.get_by_label("File").set_input_files(str(exe))
    j.page.get_by_label("What kind of document is it?").select_option("letter")
    j.page.get_by_label("Description").fill("Letter from the bank")
    j.press("Attach the document")
    expect(j.page.locator("#error-summary")).to_contain_text("This kind of file cannot be attached.")
    expect(j.page.get_by_label("Description")).to_have_value("Letter from the bank")
    assert not CaseDocument.objects.exists()
    j.page.get_by_label("File").set_input_files(str(pdf))
    j.press("Attach the document")
    expect(j.page.get_by_text("The document is attached to the case.")).to_be_visible()
    document = CaseDocument.objects.get()
    download = j.download(f"Download letter attached {_when(document.uploaded_at)}", content_type="application/pdf")
    assert download.suggested_filename == f"case-{world.case.ref}-document-{document.pk}.pdf"
    # The police then ask that the letter be kept from the adult: the saved marking is changed.
    j.follow(f"Change the disclosure of the letter attached {_when(document.uploaded_at)}")
    j.page.get_by_label("Not to be disclosed to the adult").check()
    j.press("Save")
    expect(j.page.locator("#error-summary")).to_contain_text("Say why this is not to be disclosed to the adult.")
    expect(j.page.get_by_label("Not to be disclosed to the adult")).to_be_checked()
    j.page.get_by_label("Why it is not to be disclosed").fill("The police asked us to keep it back for now.")
    j.press("Save")
    expect(j.page.get_by_text("The disclosure to the adult is changed.")).to_be_visible()
    expect(j.page.locator("table")).to_contain_text("Not to be disclosed: The police asked us to keep it back")

    j.follow("Notes and contacts")
    j.follow("Record a note or contact")
    j.page.get_by_label("Date").fill(timezone.localdate().isoformat())
    j.page.get_by_label("An agency or organisation").check()
    j.page.get_by_label("Their name").fill("Sam Synthetic")
    j.page.get_by_label("Their organisation or relationship to the adult").fill("Northern Synthetic Bank")
    j.page.get_by_label("Phone").check()
    j.page.get_by_label("What was said or noted").fill("The bank froze the account.")
    j.press("Record it")
    expect(j.page.get_by_text("The note or contact is recorded.")).to_be_visible()
    expect(j.page.locator("table")).to_contain_text("Sam Synthetic (Northern Synthetic Bank")
    assert CaseContact.objects.get().method == "phone"
    j.follow("Back to the case")
    j.follow("Chronology (printable)")
    expect(j.page.locator("ol.chronology")).to_contain_text("Contact, not with the adult (phone")
    j.finish()


def test_a_lead_makes_a_subject_access_export_and_downloads_it_once(world, journey):
    j = journey(world.lead)
    j.open(f"/cases/{world.case.pk}/")
    j.follow("Subject access export")
    j.page.get_by_label("Reference of one of the adult's cases").fill(world.case.ref)
    j.press("Prepare the export")
    expect(j.page.get_by_text("The subject access export is being prepared.")).to_be_visible()
    j.open("/subject-access/")  # refreshed, as the message says
    export = SubjectAccessExport.objects.get()
    assert export.status == "done"
    name = f"Download the PDF (once) of the export requested {_when(export.requested_at)}"
    button = j.page.get_by_role("button", name=name)
    with j.page.expect_download() as info:
        button.click()
    with open(info.value.path(), "rb") as handle:
        assert "Subject access export" in pdf_text(handle.read())
    j.open("/subject-access/")
    expect(j.page.locator("table")).to_contain_text("Downloaded")
    j.finish()
