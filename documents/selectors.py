"""Reads of documents, notes and contacts, and subject access exports: each starts from the
access policy (a case already fetched through it, or `case_scope`)."""

from django.http import Http404

from cases.access import case_scope

from .models import CaseContact, CaseDocument, SubjectAccessExport

LATEST_EXPORTS = 20


def case_documents(*, case):
    """The documents of a case (already fetched through the access policy), newest first."""
    return list(CaseDocument.objects.filter(case=case).select_related("uploaded_by"))


def case_contacts(*, case):
    """The notes and contacts of a case (already fetched through the access policy), newest first."""
    return list(CaseContact.objects.filter(case=case).select_related("recorded_by"))


def document_for_user(user, *, case_pk, pk):
    """One document whose case is in the user's scope (404 otherwise, and for another case's id)."""
    document = (
        CaseDocument.objects.filter(case_scope(user, prefix="case__"))
        .select_related("case")
        .filter(pk=pk, case_id=case_pk)
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


def exports_of(*, user):
    """The subject access exports the user asked for, newest first: only the requester sees one."""
    return list(SubjectAccessExport.objects.filter(requested_by=user).select_related("person")[:LATEST_EXPORTS])


def export_for_user(user, pk):
    """One subject access export the user asked for (404 for anyone else's)."""
    export = SubjectAccessExport.objects.filter(requested_by=user, pk=pk).first()
    if export is None:
        raise Http404("No such export.")
    return export
