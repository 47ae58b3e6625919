"""Stored markup in documents, notes and the adult's record is literal text in the subject
access export and the staff case summary, never layout."""

import pytest

from documents import subject_access
from documents.models import SubjectAccessExport
from tests.test_output_escaping import PAYLOAD, poison_every_text_field

from .factories import CaseContactFactory, CaseDocumentFactory

pytestmark = pytest.mark.django_db


def test_stored_markup_is_escaped_in_the_subject_access_export(world):
    CaseDocumentFactory(case=world.case, uploaded_by=world.practitioner)
    CaseContactFactory(case=world.case, recorded_by=world.practitioner)
    CaseContactFactory(
        case=world.case, recorded_by=world.practitioner, withheld_from_adult=True, withheld_reason="x" * 10
    )
    poisoned = poison_every_text_field()
    for field in (
        "documents.casedocument.description",
        "documents.casecontact.what",
        "documents.casecontact.withheld_reason",
    ):
        assert field in poisoned
    export = SubjectAccessExport.objects.create(person=world.case.person, requested_by=world.lead)
    html = subject_access.render_html(export)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert") >= 4
    assert PAYLOAD not in html
