"""Writes of organisational enquiries: keyword-only and atomic, each audited (field names only).
Linking or unlinking a case adds a line, in fixed words, to that case's chronology. A concluded
enquiry takes nothing more."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from cases.workflow import day, log_event
from partnership.models import Meeting, MeetingAttendee

from .models import LinkedCase, OrganisationalAction, OrganisationalEnquiry, OrganisationalMeeting, ProviderUpdate

ENQUIRY_FIELDS = ("provider", "concern", "opened_on", "lead_officer")
UPDATE_FIELDS = ("source", "received_on", "summary")
MEETING_FIELDS = ("kind", "held_on", "decisions", "minutes")
ACTION_FIELDS = ("action", "responsible", "due_on", "meeting")
CONCLUDED = "This organisational enquiry is concluded: nothing more can be added to it."


def _record(actor, action, obj, *, fields=(), case_id=None, detail=""):
    audit.record(actor=actor, action=action, obj=obj, case_id=case_id, fields=list(fields), detail=detail)


def _open(enquiry):
    locked = OrganisationalEnquiry.objects.select_for_update().get(pk=enquiry.pk)
    if not locked.is_open:
        raise ValidationError(CONCLUDED)
    return locked


@transaction.atomic
def open_enquiry(*, actor, data):
    enquiry = OrganisationalEnquiry.objects.create(opened_by=actor, **{name: data[name] for name in ENQUIRY_FIELDS})
    _record(actor, audit.AuditAction.CREATE, enquiry, fields=ENQUIRY_FIELDS)
    return enquiry


@transaction.atomic
def link_cases(*, actor, enquiry, cases):
    """Link `cases` (each already fetched through the access policy) to the enquiry; those
    already linked are left as they are. Returns the links made."""
    enquiry = _open(enquiry)
    linked = set(enquiry.linked_cases.values_list("case_id", flat=True))
    made = []
    for case in cases:
        if case.pk in linked:
            continue
        link = LinkedCase.objects.create(enquiry=enquiry, case=case, linked_by=actor)
        linked.add(case.pk)
        made.append(link)
        log_event(
            case=case,
            actor=actor,
            kind="organisational:linked",
            summary=f"Linked to organisational enquiry {enquiry.label} about {enquiry.provider.name}.",
        )
        _record(actor, audit.AuditAction.CREATE, link, fields=["enquiry", "case"], case_id=case.pk)
    return made


@transaction.atomic
def unlink_case(*, actor, link, reason):
    """Take a case out of the enquiry (linked in error); the reason goes in the case's chronology."""
    enquiry = _open(link.enquiry)
    if not (reason or "").strip():
        raise ValidationError("Say why the case is taken out of the enquiry.")
    case = link.case
    link.delete()
    log_event(
        case=case,
        actor=actor,
        kind="organisational:unlinked",
        summary=f"Taken out of organisational enquiry {enquiry.label}: {reason.strip()[:300]}",
    )
    _record(actor, audit.AuditAction.UPDATE, enquiry, fields=["linked_cases"], case_id=case.pk, detail="case unlinked")


@transaction.atomic
def add_update(*, actor, enquiry, data):
    enquiry = _open(enquiry)
    update = ProviderUpdate.objects.create(enquiry=enquiry, recorded_by=actor, **{n: data[n] for n in UPDATE_FIELDS})
    _record(actor, audit.AuditAction.CREATE, update, fields=UPDATE_FIELDS)
    return update


@transaction.atomic
def record_meeting(*, actor, enquiry, data, staff=(), attendees=()):
    """A meeting of the enquiry: a `partnership.Meeting` with no case, its staff and the people
    from other organisations (`attendees`: [(name, organisation)])."""
    enquiry = _open(enquiry)
    meeting = Meeting(case=None, recorded_by=actor, **{name: data[name] for name in MEETING_FIELDS})
    # No case, and none of the case meeting's questions about the adult's attendance.
    meeting.full_clean(exclude=["case", "adult_attended", "advocate_attended"])
    meeting.save()
    meeting.staff.set(staff)
    MeetingAttendee.objects.bulk_create(
        [MeetingAttendee(meeting=meeting, name=name, organisation=organisation) for name, organisation in attendees]
    )
    link = OrganisationalMeeting.objects.create(enquiry=enquiry, meeting=meeting)
    _record(actor, audit.AuditAction.CREATE, meeting, fields=[*MEETING_FIELDS, "staff", "partner_attendees"])
    return link


@transaction.atomic
def add_action(*, actor, enquiry, data):
    enquiry = _open(enquiry)
    meeting = data.get("meeting")
    if meeting is not None and meeting.enquiry_id != enquiry.pk:
        raise ValidationError("The meeting is not one of this enquiry's meetings.")
    action = OrganisationalAction.objects.create(
        enquiry=enquiry, recorded_by=actor, **{name: data.get(name) for name in ACTION_FIELDS}
    )
    _record(actor, audit.AuditAction.CREATE, action, fields=ACTION_FIELDS)
    return action


@transaction.atomic
def complete_action(*, actor, action, done_on):
    _open(action.enquiry)
    if action.done_on:
        return False
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    _record(actor, audit.AuditAction.UPDATE, action, fields=["done_on"])
    return True


@transaction.atomic
def conclude(*, actor, enquiry, concluded_on, conclusion):
    enquiry = _open(enquiry)
    if concluded_on < enquiry.opened_on:
        raise ValidationError(f"The enquiry was opened on {day(enquiry.opened_on)}: it cannot conclude before.")
    enquiry.concluded_on, enquiry.conclusion, enquiry.concluded_by = concluded_on, conclusion.strip(), actor
    enquiry.save(update_fields=["concluded_on", "conclusion", "concluded_by"])
    _record(actor, audit.AuditAction.STATE, enquiry, fields=["concluded_on", "conclusion"], detail="concluded")
    return enquiry
