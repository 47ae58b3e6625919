"""Views of case documents, notes and contacts, and the subject access export: thin, through
the access policy (`get_case_for_user`, `role_required`), every read and write audited."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, audit
from accounts.submissions import once_per_key
from cases.access import can_change_disclosure, can_edit_case, edit_refusal, get_case_for_user

from . import selectors, services
from .forms import ContactForm, DisclosureForm, DocumentForm, SubjectAccessForm
from .models import CaseContact, CaseDocument

GET_POST = require_http_methods(["GET", "POST"])


def _view_audit(request, case, detail):
    audit.record(actor=request.user, action=audit.AuditAction.VIEW, obj=case, case_id=case.pk, detail=detail)


def _attachment_headers(response):
    """A download is saved, never shown: no type guessing, no inline rendering, no caching."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def case_documents(request, pk):
    case = get_case_for_user(request.user, pk)
    _view_audit(request, case, "documents")
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "documents": selectors.case_documents(case=case),
            "can_edit": can_edit_case(request.user, case),
            "can_change_disclosure": can_change_disclosure(request.user, case),
        },
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def document_add(request, pk):
    case = get_case_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_document(
            case=case,
            actor=request.user,
            upload=data["file"],
            content_type=form.content_type,
            extension=form.extension,
            original_name=form.original_name,
            category=data["category"],
            description=data["description"],
            photo_consent=data["photo_consent"],
            withheld_from_adult=data["withheld_from_adult"],
            withheld_reason=data["withheld_reason"],
        )
        messages.success(request, "The document is attached to the case.")
        return redirect("documents:case_documents", case.pk)
    return render(request, "documents/document_form.html", {"case": case, "form": form})


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def document_download(request, case_pk, pk):
    document = selectors.document_for_user(request.user, case_pk=case_pk, pk=pk)
    services.document_downloaded(document=document, actor=request.user)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"case-{document.case.ref}-document-{document.pk}.{document.extension}",
        content_type=document.content_type,
    )
    return _attachment_headers(response)


@access.role_required(access.CASE_WORKERS)
@require_http_methods(["GET"])
def case_contacts(request, pk):
    case = get_case_for_user(request.user, pk)
    _view_audit(request, case, "notes and contacts")
    return render(
        request,
        "documents/case_contacts.html",
        {
            "case": case,
            "contacts": selectors.case_contacts(case=case),
            "can_edit": can_edit_case(request.user, case),
            "can_change_disclosure": can_change_disclosure(request.user, case),
        },
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
@once_per_key
def contact_add(request, pk):
    case = get_case_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_contact(case=case, actor=request.user, **form.cleaned_data)
        messages.success(request, "The note or contact is recorded.")
        return redirect("documents:case_contacts", case.pk)
    return render(request, "documents/contact_form.html", {"case": case, "form": form})


def _change_disclosure(request, model, case_pk, pk, back):
    case = get_case_for_user(request.user, case_pk)
    if not can_change_disclosure(request.user, case):
        raise edit_refusal(request.user, case)
    record = get_object_or_404(model.objects.select_related("case"), case=case, pk=pk)
    form = DisclosureForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        changed = services.change_disclosure(record=record, actor=request.user, **form.cleaned_data)
        messages.success(request, "The disclosure to the adult is changed." if changed else "Nothing was changed.")
        return redirect(back, case.pk)
    return render(
        request, "documents/disclosure_form.html", {"case": case, "record": record, "form": form, "back": back}
    )


@access.role_required(access.CASE_WORKERS)
@GET_POST
def document_disclosure(request, case_pk, pk):
    return _change_disclosure(request, CaseDocument, case_pk, pk, "documents:case_documents")


@access.role_required(access.CASE_WORKERS)
@GET_POST
def contact_disclosure(request, case_pk, pk):
    return _change_disclosure(request, CaseContact, case_pk, pk, "documents:case_contacts")


@access.role_required(access.LEADS)
@GET_POST
@once_per_key
def subject_access(request):
    form = SubjectAccessForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        export = services.request_subject_access(person=form.person, actor=request.user)
        if export.status == "failed":
            messages.error(
                request, "The export could not be queued because the worker is unavailable. Please ask again."
            )
        else:
            messages.success(request, "The subject access export is being prepared. Refresh this page to download it.")
        return redirect("documents:subject_access")
    exports = selectors.exports_of(user=request.user)
    return render(request, "documents/subject_access.html", {"form": form, "exports": exports})


@access.role_required(access.LEADS)
@require_POST  # taking the one copy changes the export: never a GET
def subject_access_download(request, pk):
    export = selectors.export_for_user(request.user, pk)
    content = services.take_subject_access(export=export, actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-export-{export.pk}.pdf"'
    return _attachment_headers(response)
