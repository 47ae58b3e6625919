import factory
from django.core.files.base import ContentFile

from documents.models import (
    CaseContact,
    CaseDocument,
    ContactMethod,
    ContactParty,
    DocumentCategory,
    SubjectAccessExport,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    category = DocumentCategory.LETTER
    description = "Letter from the bank"
    original_name = "letter.pdf"
    content_type = "application/pdf"
    extension = "pdf"
    size = len(PDF_BYTES)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="ignored.pdf"))


class CaseContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseContact

    occurred_on = factory.LazyFunction(lambda: __import__("django.utils.timezone").utils.timezone.localdate())
    party = ContactParty.AGENCY
    contact_name = "Synthetic Banker"
    organisation = "Northern Synthetic Bank"
    method = ContactMethod.PHONE
    what = "Asked the bank to freeze the account."


class SubjectAccessExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectAccessExport

    class Params:
        done = factory.Trait(status="done", pdf=factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="export.pdf")))
