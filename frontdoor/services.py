"""Writes at the front door: a concern raised online, its screening, and feedback to the referrer.

Keyword-only and atomic like every service; each writes its audit entry (field names only) and,
where a case is involved, its chronology line. Turning a submission into a concern goes through
`cases.services.record_concern`, the one way a case is opened.
"""

import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import access, audit
from cases import services as case_services
from cases import workflow
from cases.access import case_scope
from cases.codes import ReferrerType
from cases.working_days import add_working_days

from .access import screens_front_door
from .models import FrontDoorSetting, ReferrerFeedback, Screening, ScreeningOutcome, Submission

logger = logging.getLogger(__name__)

#: No 0/O or 1/I/L, so a reference read out over the phone is not misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

SUBMISSION_FIELDS = [
    f.name for f in Submission._meta.get_fields() if f.concrete and f.name not in ("id", "reference", "received_at")
]


def new_reference():
    """A reference the referrer can quote, e.g. "RC-7K3M-Q9PX": random, so it reveals nothing."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"RC-{chars[:4]}-{chars[4:]}"


def screening_due_date(received_at):
    """Screening is due this many working days after receipt, on the s42 decision's calendar."""
    from django.conf import settings

    return add_working_days(timezone.localdate(received_at), settings.FRONT_DOOR_SCREENING_WORKING_DAYS)


def _send(subject, template, context, to):
    """Send one plain-text mail; a refused or unreachable server is logged (type only), not raised."""
    try:
        send_mail(subject, render_to_string(template, context), None, [to])
    except Exception as exc:  # smtplib, socket and TLS errors alike
        logger.warning("Front door mail not sent: %s", type(exc).__name__)
        return False
    return True


def submit_concern(*, answers):
    """Keep a concern raised online exactly as sent, and acknowledge it by email when an address
    was given. The acknowledgement holds the reference and what happens next: nothing about the adult."""
    received_at = timezone.now()
    data = {name: value for name, value in answers.items() if name in SUBMISSION_FIELDS}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    reference=new_reference(),
                    received_at=received_at,
                    screening_due=screening_due_date(received_at),
                    **data,
                )
                audit.record(
                    actor=None,
                    action=audit.AuditAction.CREATE,
                    obj=submission,
                    fields=[name for name, value in data.items() if value not in ("", None, False)],
                    detail="raised online",
                )
            break
        except IntegrityError:  # the same random reference twice: draw again
            continue
    else:
        raise RuntimeError("Could not choose a unique reference.")
    if submission.referrer_email:  # after the commit above: a failed mail never loses the report
        _send(
            f"Your safeguarding concern: reference {submission.reference}",
            "frontdoor/email/acknowledgement.txt",
            {"submission": submission, "team": front_door_team()},
            submission.referrer_email,
        )
    return submission


def front_door_team():
    setting = FrontDoorSetting.objects.select_related("team").first()
    return setting.team if setting else None


@transaction.atomic
def choose_front_door_team(*, actor, team):
    """A safeguarding lead chooses the team that screens concerns raised online."""
    if not access.is_lead(actor):
        raise PermissionDenied("Only a safeguarding lead can choose the front door team.")
    setting, _ = FrontDoorSetting.objects.select_for_update().get_or_create(pk=1)
    before = setting.team_id
    setting.team, setting.changed_by, setting.changed_at = team, actor, timezone.now()
    setting.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=setting,
        fields=["team"],
        changes={"front_door_team": [before, team.pk if team else None]},
    )
    return setting


def _check_screener(actor, submission):
    if not screens_front_door(actor):
        raise PermissionDenied("Only the front door team and safeguarding leads screen concerns raised online.")
    if Screening.objects.filter(submission=submission).exists():
        raise ValidationError("This submission has already been screened.")


def concern_from_submission(submission):
    """The concern's intake details a submission gives, for prefilling the concern form."""
    parts = [submission.referrer_name, submission.referrer_role]
    where = submission.where_details
    return {
        "received_at": submission.received_at,
        "referrer_name": ", ".join(p for p in parts if p) or "Member of the public (did not give a name)",
        "referrer_agency": submission.referrer_organisation,
        "referrer_relationship": submission.referrer_relationship,
        "what_happened": submission.what_happened
        + (f"\n\nWhen: {submission.when_happened}" if submission.when_happened else "")
        + (f"\n\nWhere: {where}" if where else ""),
        "others_at_risk_children": submission.others_at_risk_children,
        "others_at_risk_adults": submission.others_at_risk_adults,
        "adult_aware": {"yes": "yes", "no": "no"}.get(submission.adult_knows, "not_known"),
        "adult_wants": submission.adult_not_agreed_reason,
    }


def risk_from_submission(submission):
    """The one risk a submission describes (where it happened, who may be causing the harm, as
    far as the referrer knew), for prefilling the concern's first risk; its types are chosen
    when screening."""
    return {
        "location": submission.where_happened if submission.where_happened != "not_sure" else "",
        "source": submission.harm_source if submission.harm_source != "not_sure" else "",
    }


def person_from_submission(submission):
    """The adult's details a submission gives, for prefilling the person form."""
    return {
        "legal_name": submission.adult_name,
        "preferred_name": submission.adult_preferred_name,
        "date_of_birth": submission.adult_date_of_birth,
        "nhs_number": submission.adult_nhs_number,
        "communication_needs": submission.adult_communication_needs,
        "address": submission.adult_address,
    }


@transaction.atomic
def screen_into_concern(*, actor, submission, team, concern_data, risks, person=None, person_data=None):
    """Turn a submission into a safeguarding concern (a case, opened by `record_concern`) with the
    referrer recorded as its source; the submission itself stays as it was sent."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_screener(actor, submission)
    concern_data = {**concern_data, "referrer_type": submission.referrer_type}
    case = case_services.record_concern(
        actor=actor,
        team=team,
        concern_data=concern_data,
        risks=risks,
        person=person,
        person_data=person_data,
    )
    screening = Screening.objects.create(
        submission=submission, outcome=ScreeningOutcome.CONCERN, case=case, screened_by=actor
    )
    workflow.log_event(
        case=case,
        actor=actor,
        kind="front_door",
        summary=f"Raised online ({submission.get_referrer_type_display().lower()}, reference "
        f"{submission.reference}) and screened into a concern by {actor.display_name}.",
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=screening,
        case_id=case.pk,
        fields=["outcome", "case"],
        detail="screened into a concern",
    )
    return screening


@transaction.atomic
def screen_not_safeguarding(*, actor, submission, reason, signposting):
    """Record that a submission is not a safeguarding concern: a contact, never a concern."""
    reason, signposting = (reason or "").strip(), (signposting or "").strip()
    if not reason or not signposting:
        raise ValidationError("Give the reason and where the person was signposted.")
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_screener(actor, submission)
    screening = Screening.objects.create(
        submission=submission,
        outcome=ScreeningOutcome.NOT_SAFEGUARDING,
        reason=reason,
        signposting=signposting,
        screened_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=screening,
        fields=["outcome", "reason", "signposting"],
        detail="not a safeguarding concern",
    )
    return screening


def referrer_email_for(case):
    """The work address of the professional who raised the case online, or "" (the public are
    never emailed updates: the Care Act guidance expects what is shared to be proportionate)."""
    screening = getattr(case, "front_door_screening", None)
    if screening is None:
        return ""
    submission = screening.submission
    return submission.referrer_email if submission.referrer_type != ReferrerType.PUBLIC else ""


@transaction.atomic
def record_referrer_feedback(*, actor, case, shared_on, what_was_shared, withheld_reason="", send_email=False):
    """Record what the referrer was told (and why anything was withheld); with `send_email`, send
    the professional who raised it online a short update holding the reference and that text only."""
    from cases.models import Case

    # Feedback often follows closure (the referrer hears the outcome), so any case in scope will do.
    if not Case.objects.filter(case_scope(actor), pk=case.pk).exists():
        raise PermissionDenied("Only a case worker who can see the case can record feedback to the referrer.")
    what_was_shared = (what_was_shared or "").strip()
    if not what_was_shared:
        raise ValidationError("Say what was shared with the referrer.")
    address = referrer_email_for(case) if send_email else ""
    if send_email and not address:
        raise ValidationError("This referrer has no work email address on record, so no update can be emailed.")
    feedback = ReferrerFeedback.objects.create(
        case=case,
        shared_on=shared_on,
        what_was_shared=what_was_shared,
        withheld_reason=(withheld_reason or "").strip(),
        recorded_by=actor,
    )
    summary = f"Feedback to the referrer recorded by {actor.display_name}: {what_was_shared}"
    if feedback.withheld_reason:
        summary += f" Withheld: {feedback.withheld_reason}"
    if address:
        reference = case.front_door_screening.submission.reference
        sent = _send(
            f"Update on the safeguarding concern you raised: reference {reference}",
            "frontdoor/email/referrer_update.txt",
            {"reference": reference, "update": what_was_shared, "team": case.team},
            address,
        )
        if sent:
            feedback.emailed_at = timezone.now()
            feedback.save(update_fields=["emailed_at"])
            summary += " An update was emailed to the referrer."
        else:
            summary += " The email update could not be sent."
    workflow.log_event(case=case, actor=actor, kind="referrer_feedback", summary=summary)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        obj=feedback,
        case_id=case.pk,
        fields=["shared_on", "what_was_shared", *(["withheld_reason"] if feedback.withheld_reason else [])],
        detail="emailed" if feedback.emailed_at else "",
    )
    return feedback
