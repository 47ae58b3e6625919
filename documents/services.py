"""Writes of the documents app: attach a document, record a note or contact, and the subject
access export (ask for it, build it on the worker, hand it over once). Each one is audited."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts import audit
from cases.workflow import log_event

from .building import fail_subject_access, run_subject_access  # noqa: F401 (the task's, here too)
from .models import CaseContact, CaseDocument, SubjectAccessExport, contact_line

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = ["category", "description", "photo_consent", "file", "withheld_from_adult", "withheld_reason"]
CONTACT_FIELDS = [
    "occurred_on", "party", "contact_name", "organisation", "method", "what", "follow_up", "follow_up_on",
    "withheld_from_adult", "withheld_reason",
]  # fmt: skip


@transaction.atomic
def add_document(*, case, actor, upload, content_type, extension, original_name, category, description,
                 photo_consent="", withheld_from_adult=False, withheld_reason=""):  # fmt: skip
    """Attach an already sniffed file to `case` (fetched for writing through the access policy),
    stored under a generated name, with its chronology line and audit entry."""
    document = CaseDocument(
        case=case,
        category=category,
        description=description,
        photo_consent=photo_consent,
        original_name=original_name,
        content_type=content_type,
        extension=extension,
        size=upload.size,
        uploaded_by=actor,
        withheld_from_adult=withheld_from_adult,
        withheld_reason=withheld_reason if withheld_from_adult else "",
    )
    upload.seek(0)
    document.file.save("upload", upload, save=False)  # the name comes from document_upload_to
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    log_event(
        case=case,
        actor=actor,
        kind="documents:document",
        summary=f"Document attached: {document.get_category_display()} ({document.description}).",
    )
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=document, case_id=case.pk, fields=DOCUMENT_FIELDS)
    return document


def document_downloaded(*, document, actor):
    """Audit one download of a case document."""
    audit.record(
        actor=actor,
        action=audit.AuditAction.DOWNLOAD,
        obj=document,
        case_id=document.case_id,
        fields=["file"],
        detail="case document downloaded",
    )


@transaction.atomic
def record_contact(*, case, actor, **fields):
    """Record a note or a contact with an agency, family or the referrer on `case` (fetched for
    writing through the access policy), with its chronology line and audit entry."""
    if not fields.get("withheld_from_adult"):
        fields["withheld_reason"] = ""
    contact = CaseContact.objects.create(case=case, recorded_by=actor, **fields)
    log_event(
        case=case,
        actor=actor,
        kind="documents:note" if contact.is_note else "documents:contact",
        summary=contact_line(contact),
    )
    written = [name for name in CONTACT_FIELDS if fields.get(name) not in (None, "", False)]
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=contact, case_id=case.pk, fields=written)
    return contact


@transaction.atomic
def change_disclosure(*, record, actor, withheld_from_adult, withheld_reason):
    """Mark a saved document, note or contact (fetched through the access policy) as to be
    disclosed to the adult or not, with the reason: a chronology line and an audit entry with
    the old and new marking. Returns whether anything changed."""
    reason = withheld_reason.strip() if withheld_from_adult else ""
    old = [record.withheld_from_adult, record.withheld_reason]
    if old == [withheld_from_adult, reason]:
        return False
    record.withheld_from_adult, record.withheld_reason = withheld_from_adult, reason
    record.save(update_fields=["withheld_from_adult", "withheld_reason"])
    now = "not to be disclosed to the adult" if withheld_from_adult else "may be disclosed to the adult"
    summary = f"{record.kind_label} ({record.line_label}): now {now}."
    log_event(case=record.case, actor=actor, kind="documents:disclosure", summary=summary)
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=record,
        case_id=record.case_id,
        fields=["withheld_from_adult", "withheld_reason"],
        detail=f"disclosure to the adult: {'withheld' if old[0] else 'disclosable'} to "
        f"{'withheld' if withheld_from_adult else 'disclosable'}",
    )
    return True


# --- Subject access export ---------------------------------------------------------------


@transaction.atomic
def request_subject_access(*, person, actor):
    """Ask for a subject access export of `person` (reached through a case in the lead's scope);
    the worker builds it once this transaction commits."""
    from msp.celery import send_after_commit

    from .tasks import build_subject_access

    export = SubjectAccessExport.objects.create(person=person, requested_by=actor)
    audit.record(actor=actor, action=audit.AuditAction.CREATE, obj=export, fields=["person"], detail="subject access")

    def not_queued():
        fail_subject_access(export_id=export.pk, reason="The export could not be queued: please ask again.")
        export.refresh_from_db()

    send_after_commit(build_subject_access, export.pk, on_failure=not_queued)
    return export


def take_subject_access(*, export, actor):
    """Hand the export's PDF to its requester once: the bytes, after which the file is deleted
    and the export can never be downloaded again (404). Audited."""
    with transaction.atomic():
        locked = SubjectAccessExport.objects.select_for_update().filter(pk=export.pk, requested_by=actor).first()
        if locked is None or not locked.downloadable:
            raise Http404("This export is not ready, or has already been downloaded.")
        with locked.pdf.open("rb") as handle:
            content = handle.read()
        name = locked.pdf.name
        locked.downloaded_at = timezone.now()
        locked.pdf = ""
        locked.save(update_fields=["downloaded_at", "pdf"])
        audit.record(
            actor=actor, action=audit.AuditAction.DOWNLOAD, obj=locked, fields=["pdf"], detail="subject access"
        )
        transaction.on_commit(lambda: default_storage.delete(name))
    return content
