"""Who may use each URL of the documents app (walked by accounts/tests/test_url_access.py)."""

from accounts.tests.url_policy import Rule, case_workers, role_page

LEADS = ("lead",)


def _case(w):
    return {"pk": w.case.pk}


def _case_with_document(w):
    from documents.tests.factories import CaseDocumentFactory

    CaseDocumentFactory(case=w.case, uploaded_by=w.practitioner)
    return _case(w)


def _case_with_contact(w):
    from documents.tests.factories import CaseContactFactory

    CaseContactFactory(case=w.case, recorded_by=w.practitioner)
    return _case(w)


def _document(w):
    from documents.tests.factories import CaseDocumentFactory

    return {"case_pk": w.case.pk, "pk": CaseDocumentFactory(case=w.case, uploaded_by=w.practitioner).pk}


def _contact(w):
    from documents.tests.factories import CaseContactFactory

    return {"case_pk": w.case.pk, "pk": CaseContactFactory(case=w.case, recorded_by=w.practitioner).pk}


def _export(w):
    """A finished export of the lead's: only that lead may download it (others 404, other roles 403)."""
    from documents.tests.factories import SubjectAccessExportFactory

    return {"pk": SubjectAccessExportFactory(person=w.case.person, requested_by=w.lead, done=True).pk}


ACCESS = {
    # A case's documents, notes and contacts: anyone who may see the case (restricted cases
    # for their named users); other teams 404; SAB members and system administrators 403.
    "documents:case_documents": Rule(case_workers(), kwargs=_case_with_document),
    "documents:document_add": Rule(case_workers(), kwargs=_case),
    "documents:document_download": Rule(case_workers(), kwargs=_document),
    "documents:case_contacts": Rule(case_workers(), kwargs=_case_with_contact),
    "documents:contact_add": Rule(case_workers(), kwargs=_case),
    # Changing whether a saved record may be disclosed to the adult: as for adding one (and, on
    # a closed case, its managers and the leads: documents/tests/test_disclosure_change.py).
    "documents:document_disclosure": Rule(case_workers(), kwargs=_document),
    "documents:contact_disclosure": Rule(case_workers(), kwargs=_contact),
    # The subject access export: safeguarding leads only; a download only for its requester,
    # once, by POST (the walk's lead takes it; it then answers 404).
    "documents:subject_access": Rule(role_page(200, LEADS)),
    "documents:subject_access_download": Rule(role_page(200, LEADS), kwargs=_export, method="post"),
}
