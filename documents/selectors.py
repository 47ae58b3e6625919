"""Reads of documents, notes and contacts, and subject access exports: each starts from the
access policy (a case already fetched through it, or `case_scope`)."""

from django.http import Http404

from cases.access import case_scope

from .models import CaseContact, CaseDocument, SubjectAccessExport

LATEST_EXPORTS = 20
#: How far back the team dashboard's "recently added" tables look.
RECENT_DAYS = 7


def case_documents(*, case):
    """The documents of a case (already fetched through the access policy), newest first."""
    return list(CaseDocument.objects.filter(case=case).select_related("uploaded_by"))


def case_contacts(*, case):
    """The notes and contacts of a case (already fetched through the access policy), newest first."""
    return list(CaseContact.objects.filter(case=case).select_related("recorded_by"))


def _recent(queryset, field, *, user, team, since):
    rows = queryset.filter(case_scope(user, prefix="case__"), **{f"{field}__gte": since})
    if team is not None:
        rows = rows.filter(case__team=team)
    return rows.select_related("case__person", "case__team").order_by(f"-{field}", "-id")


def recent_documents(user, *, team=None, since):
    """Documents attached since `since` to cases in the user's scope (of `team`), newest first."""
    return _recent(CaseDocument.objects.select_related("uploaded_by"), "uploaded_at", user=user, team=team, since=since)


def recent_contacts(user, *, team=None, since):
    """Notes and contacts recorded since `since` on cases in the user's scope (of `team`), newest first."""
    return _recent(CaseContact.objects.select_related("recorded_by"), "recorded_at", user=user, team=team, since=since)


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
