"""Writes of the partnership records: keyword-only and atomic, each with its audit entry (field
names only) and, for case records, a chronology line in fixed words (never the records' text)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from cases.models import CaseState
from cases.workflow import day, log_event
from outcomes import services as outcome_services

from .models import CausedEnquiry, InformationShare, Meeting, MeetingAction, MeetingAttendee

CAUSED_FIELDS = ("partner", "asked", "contact", "requested_on", "due_on")
REPORT_FIELDS = ("report_received_on", "findings", "adequacy", "adequacy_comment")
MEETING_FIELDS = ("kind", "held_on", "adult_attended", "advocate_attended", "views_brought_in", "decisions", "minutes")
SHARE_FIELDS = (
    "direction",
    "categories",
    "details",
    "partner",
    "other_organisation",
    "shared_on",
    "lawful_basis",
    "consented",
    "no_consent_reason",
    "no_consent_detail",
    "adult_told",
)
ORGANISATION_FIELDS = ("name", "sector", "cqc_registered", "service_type", "cqc_location_id", "active")

OPEN_ENQUIRY_ONLY = "Enquiries can be caused to a partner while the enquiry is open."


def _audit(*, actor, action, obj, case_id=None, fields=(), detail=""):
    audit.record(actor=actor, action=action, obj=obj, case_id=case_id, fields=fields, detail=detail)


# --- Partner organisations -------------------------------------------------------------


@transaction.atomic
def organisation_save(*, actor, form):
    """Save a partner organisation (new or changed) from its bound, valid form."""
    created = form.instance.pk is None
    organisation = form.save()
    _audit(
        actor=actor,
        action=audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
        obj=organisation,
        fields=list(ORGANISATION_FIELDS) if created else audit.changed_fields(form),
    )
    return organisation


# --- Caused enquiries -------------------------------------------------------------------


@transaction.atomic
def caused_enquiry_request(*, case, actor, data):
    """Ask a partner organisation to make enquiries (s42(2)) from the case's open enquiry."""
    if case.state != CaseState.ENQUIRY_OPEN:
        raise ValidationError(OPEN_ENQUIRY_ONLY)
    caused = CausedEnquiry(case=case, requested_by=actor, **{name: data[name] for name in CAUSED_FIELDS})
    caused.full_clean()
    caused.save()
    log_event(
        case=case,
        actor=actor,
        kind="partnership:caused_enquiry",
        summary=f"Enquiry caused: {caused.partner.name} asked to make enquiries, report due {day(caused.due_on)}.",
    )
    _audit(actor=actor, action=audit.AuditAction.CREATE, obj=caused, case_id=case.pk, fields=CAUSED_FIELDS)
    return caused


@transaction.atomic
def caused_enquiry_acknowledge(*, caused, actor, on=None):
    """Record that the partner acknowledged the request (once)."""
    if caused.acknowledged_on:
        return caused
    caused.acknowledged_on = on or timezone.localdate()
    caused.save(update_fields=["acknowledged_on"])
    log_event(
        case=caused.case,
        actor=actor,
        kind="partnership:caused_enquiry",
        summary=f"{caused.partner.name} acknowledged the request to make enquiries.",
    )
    _audit(actor=actor, action=audit.AuditAction.UPDATE, obj=caused, case_id=caused.case_id, fields=["acknowledged_on"])
    return caused


@transaction.atomic
def caused_enquiry_record_report(*, caused, actor, data):
    """Record the partner's findings, when they came, and the practitioner's view of their
    adequacy. The report due item clears itself (the chronology line refreshes the case's items)."""
    for name in REPORT_FIELDS:
        setattr(caused, name, data[name])
    caused.report_recorded_by = actor
    if not caused.acknowledged_on:
        caused.acknowledged_on = caused.report_received_on
    caused.full_clean()
    caused.save()
    log_event(
        case=caused.case,
        actor=actor,
        kind="partnership:caused_enquiry",
        summary=f"Report received from {caused.partner.name} on {day(caused.report_received_on)}.",
    )
    _audit(actor=actor, action=audit.AuditAction.UPDATE, obj=caused, case_id=caused.case_id, fields=REPORT_FIELDS)
    return caused


@transaction.atomic
def caused_enquiry_mark_not_adequate(*, caused, manager, reason):
    """A manager's finding that the partner's report is not adequate, with the reason."""
    if not caused.report_received_on:
        raise ValidationError("A report can be judged once it has been received.")
    caused.not_adequate_reason = reason
    caused.not_adequate_by = manager
    caused.not_adequate_at = timezone.now()
    caused.save(update_fields=["not_adequate_reason", "not_adequate_by", "not_adequate_at"])
    log_event(
        case=caused.case,
        actor=manager,
        kind="partnership:caused_enquiry",
        summary=f"A manager marked the report from {caused.partner.name} as not adequate.",
    )
    _audit(
        actor=manager,
        action=audit.AuditAction.UPDATE,
        obj=caused,
        case_id=caused.case_id,
        fields=["not_adequate_reason"],
        detail="report not adequate",
    )
    return caused


# --- Meetings ---------------------------------------------------------------------------


@transaction.atomic
def meeting_record(*, case, actor, data, staff=(), attendees=(), actions=()):
    """Record a meeting with its staff, partner attendees (`attendees`: [(name, organisation)])
    and the actions agreed, each of which becomes a protection-plan action in the same step
    (`actions`: PlanAction form data; only while the enquiry is open)."""
    if actions and case.state != CaseState.ENQUIRY_OPEN:
        raise ValidationError("Actions go into the protection plan while the enquiry is open.")
    meeting = Meeting(case=case, recorded_by=actor, **{name: data[name] for name in MEETING_FIELDS})
    meeting.full_clean()
    meeting.save()
    meeting.staff.set(staff)
    MeetingAttendee.objects.bulk_create(
        [MeetingAttendee(meeting=meeting, name=name, organisation=organisation) for name, organisation in attendees]
    )
    for action_data in actions:
        action = outcome_services.plan_action_add(case=case, actor=actor, action_data=action_data)
        MeetingAction.objects.create(meeting=meeting, plan_action=action)
    added = f"; {len(actions)} action{'s' if len(actions) != 1 else ''} added to the protection plan" if actions else ""
    log_event(
        case=case,
        actor=actor,
        kind="partnership:meeting",
        summary=f"{meeting.get_kind_display()} held on {day(meeting.held_on)} recorded{added}.",
    )
    _audit(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=meeting,
        case_id=case.pk,
        fields=[*MEETING_FIELDS, "staff", "partner_attendees", "actions"],
    )
    return meeting


# --- Information sharing ----------------------------------------------------------------


@transaction.atomic
def information_share_record(*, case, actor, data):
    """Record information shared with, or received from, another organisation. A share without
    the adult's consent waits for a manager's review."""
    share = InformationShare(case=case, shared_by=actor, **{name: data[name] for name in SHARE_FIELDS})
    share.full_clean()
    share.save()
    verb = "shared with" if share.direction == "shared" else "received from"
    consent = "" if share.consented else " without the adult's consent"
    log_event(
        case=case,
        actor=actor,
        kind="partnership:information_share",
        summary=f"Information {verb} {share.organisation_name} on {day(share.shared_on)}{consent}.",
    )
    _audit(actor=actor, action=audit.AuditAction.CREATE, obj=share, case_id=case.pk, fields=SHARE_FIELDS)
    return share


@transaction.atomic
def information_share_review(*, share, manager, comment=""):
    """A manager's review of information shared without the adult's consent (once)."""
    if share.consented is not False:
        raise ValidationError("Only information shared without consent is reviewed.")
    if share.reviewed_at:
        raise ValidationError("This share has already been reviewed.")
    share.reviewed_by = manager
    share.reviewed_at = timezone.now()
    share.review_comment = comment
    share.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
    log_event(
        case=share.case,
        actor=manager,
        kind="partnership:information_share",
        summary="A manager reviewed information shared without the adult's consent.",
    )
    _audit(
        actor=manager,
        action=audit.AuditAction.UPDATE,
        obj=share,
        case_id=share.case_id,
        fields=["reviewed_at", "review_comment"],
        detail="share without consent reviewed",
    )
    return share
