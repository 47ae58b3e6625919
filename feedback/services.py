"""Recording a questionnaire's answers, by any route, with its audit entry.

Views call these with cleaned form data; every rule about what is stored lives here (an
anonymous response gets no case, person, asker or time; a quote waits for a lead).
"""

import logging

from django.db import transaction
from django.utils import timezone

from accounts import audit
from cases.workflow import log_event

from .models import FeedbackItem, FeedbackResponse, QuoteStatus, Route, quarter_start
from .questions import QUESTION_CODES

logger = logging.getLogger(__name__)


def _quote_status(anything_else, share_consent):
    return QuoteStatus.PENDING if share_consent and anything_else.strip() else QuoteStatus.NONE


def _write_items(response, answers):
    """Store {question: answer} for every question of the catalogue that was answered; return
    the codes whose answer changed."""
    current = {item.question: item for item in response.items.all()} if response.pk else {}
    changed = []
    for code in QUESTION_CODES:
        answer = answers.get(code)
        if not answer:
            continue
        item = current.get(code)
        if item is None:
            FeedbackItem.objects.create(response=response, question=code, answer=answer)
            changed.append(code)
        elif item.answer != answer:
            item.answer = answer
            item.save(update_fields=["answer"])
            changed.append(code)
    return changed


ROUTE_WORDS = {Route.AT_CLOSURE: "at closure", Route.INDEPENDENT: "by an independent follow-up"}


@transaction.atomic
def record_staff_response(*, case, actor, route, data):
    """Record the person's answers given to a member of staff (`route`: at closure or the
    independent follow-up). `data`: the questionnaire form's cleaned data (version, asked_on,
    every question code, anything_else, share_consent). At closure a case has one response,
    which a second save changes; each follow-up is its own response."""
    response = None
    if route == Route.AT_CLOSURE:
        response = FeedbackResponse.objects.select_for_update().filter(case=case, route=route).first()
    created = response is None
    if created:
        response = FeedbackResponse(case=case, route=route, team_id=case.team_id, asked_by=actor)
    words = data.get("anything_else", "")
    consent = bool(data.get("share_consent"))
    written = []
    for name, value in (("version", data["version"]), ("asked_on", data["asked_on"])):
        if getattr(response, name) != value:
            setattr(response, name, value)
            written.append(name)
    if response.anything_else != words or response.share_consent != consent:
        response.anything_else, response.share_consent = words, consent
        response.quote_status = _quote_status(words, consent)
        response.quote_reviewed_by = response.quote_reviewed_at = None
        written += ["anything_else", "share_consent"]
    response.quarter_start = quarter_start(response.asked_on)
    response.recorded_at = timezone.now()
    response.save()
    written += _write_items(response, data)
    if created or written:
        log_event(
            case=case,
            actor=actor,
            kind="feedback:response",
            summary=f"The person's feedback {'recorded' if created else 'changed'} ({ROUTE_WORDS[route]}).",
        )
        audit.record(
            actor=actor,
            action=audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
            obj=response,
            case_id=case.pk,
            fields=written,
            detail=f"feedback {route}",
        )
    return response


def at_closure_response(case):
    return FeedbackResponse.objects.filter(case=case, route=Route.AT_CLOSURE).prefetch_related("items").first()


# --- The anonymous route -------------------------------------------------------------------

#: Letters and digits that cannot be mistaken for one another when read off paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def normalise_code(text):
    """What the person typed, as the code is stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_hash(code):
    """The stored form of a code: an HMAC keyed by SECRET_KEY, so a copy of the table is no list
    of codes (and cannot be read back by trying every code)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("feedback.code", normalise_code(code), algorithm="sha256").hexdigest()


def format_code(code):
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def issue_code(*, team, today=None):
    """A new one-time code for `team`'s anonymous questionnaire: returns the code in print form
    (`ABCD-EFGH-JK`) and its expiry date. Only the hash is stored, with the team and the expiry:
    nothing about the case or the summary it is printed on."""
    import datetime
    import secrets

    from django.conf import settings

    from .models import FeedbackCode

    expires_on = (today or timezone.localdate()) + datetime.timedelta(days=settings.FEEDBACK_CODE_DAYS)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    FeedbackCode.objects.create(code_hash=code_hash(code), team=team, expires_on=expires_on)
    return format_code(code), expires_on


class MailNotSent(Exception):
    """The mail server refused or could not be reached: nothing was issued or recorded."""


class TextNotSent(Exception):
    """The text message gateway refused or could not be reached: nothing was issued or recorded."""


CODE_MAIL_SUBJECT = "Tell us what you thought of the safeguarding, without giving your name"


def _send_code(*, case, actor, deliver, failures, not_sent, how, what):
    """Issue a one-time code for the anonymous questionnaire of `case`'s team, hand it to
    `deliver(context)` (context: code, expires_on, url) and record that it was sent `how`
    ("emailed", "texted"). The one place every route issues, rolls back and records.

    The code is stored as `issue_code` stores it (hash, team, expiry: nothing of the case). The
    person's address or number is in `deliver` only: it is used for this one message and kept
    nowhere (not in a task's arguments either: the message is sent here, in the request). The
    chronology line and the audit entry (which takes the audit chain's lock) are written after
    the message has gone, so no lock is held while the gateway answers; they say that a code was
    sent `how`, never to whom or which code. If `deliver` raises one of `failures`, the code is
    deleted, nothing is recorded and `not_sent` is raised (the log names the exception type
    only, `what` saying which kind of message it was).
    """
    from django.conf import settings
    from django.urls import reverse

    from .models import FeedbackCode

    code, expires_on = issue_code(team=case.team)
    context = {"code": code, "expires_on": expires_on, "url": f"{settings.SITE_URL}{reverse('tell_us:start')}"}
    try:
        deliver(context)
    except failures as exc:
        FeedbackCode.objects.filter(code_hash=code_hash(code)).delete()
        logger.warning("Feedback code %s not sent: %s", what, type(exc).__name__)
        raise not_sent from None
    with transaction.atomic():
        log_event(
            case=case,
            actor=actor,
            kind=f"feedback:code_{how}",
            summary=f"A one-time code for the anonymous feedback questionnaire was {how} to the person.",
        )
        audit.record(
            actor=actor, action=audit.AuditAction.CREATE, object_type="feedback.feedbackcode", case_id=case.pk,
            detail=f"anonymous feedback code {how}",
        )  # fmt: skip


def send_code_by_email(*, case, actor, address):
    """Email the person a one-time code for the anonymous questionnaire of `case`'s team (see
    `_send_code`): the address is used for this one mail and kept nowhere. If the mail server
    refuses or cannot be reached, no code is left and `MailNotSent` is raised."""
    import smtplib

    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    def deliver(context):
        send_mail(CODE_MAIL_SUBJECT, render_to_string("feedback/email/code.txt", context), None, [address])

    failures = (smtplib.SMTPException, OSError)  # refused, unreachable, TLS
    _send_code(
        case=case, actor=actor, deliver=deliver, failures=failures, not_sent=MailNotSent, how="emailed", what="mail"
    )


def send_code_by_text(*, case, actor, number):
    """Text the person a one-time code for the anonymous questionnaire of `case`'s team (see
    `_send_code`), through the `SMS_BACKEND` (GOV.UK Notify in production). `number`: a UK
    mobile number in E.164 (`+447700900123`), used for this one text and kept nowhere. The text
    holds the code, the questionnaire's address and its closing date: nothing about the person
    or the case. If the gateway refuses or cannot be reached, no code is left and `TextNotSent`
    is raised."""
    from django.utils.dateformat import format as date_format

    from . import sms

    def deliver(context):
        personalisation = {
            "code": context["code"],
            "url": context["url"],
            "expires_on": date_format(context["expires_on"], "j F Y"),
        }
        sms.send(to=number, personalisation=personalisation)

    _send_code(
        case=case,
        actor=actor,
        deliver=deliver,
        failures=(sms.SmsNotSent,),
        not_sent=TextNotSent,
        how="texted",
        what="text message",
    )


def usable_code(text):
    """The stored code matching what the person typed, if it is unused and not expired, else None."""
    from .models import FeedbackCode

    code = FeedbackCode.objects.filter(code_hash=code_hash(text)).first()
    return code if code is not None and code.usable() else None


class CodeUsed(Exception):
    """The code was used (or expired) since the questionnaire was opened with it."""


@transaction.atomic
def record_anonymous_response(*, code_id, version, answers, anything_else="", share_consent=False):
    """Save an anonymous questionnaire and spend its code, in one transaction: the response is
    linked only to the code's team and today's quarter (no case, person, asker or time), and the
    audit entry names no case and no row."""
    from .models import FeedbackCode

    code = FeedbackCode.objects.select_for_update().filter(pk=code_id).first()
    today = timezone.localdate()
    if code is None or not code.usable(today):
        raise CodeUsed
    code.used_on = today
    code.save(update_fields=["used_on"])
    response = FeedbackResponse.objects.create(
        route=Route.ANONYMOUS,
        version=version,
        team_id=code.team_id,
        quarter_start=quarter_start(today),
        anything_else=anything_else,
        share_consent=share_consent,
        quote_status=_quote_status(anything_else, share_consent),
    )
    _write_items(response, answers)
    # No object id and no case: the audit log must not tie this response to a time of day.
    audit.record(
        actor=None,
        action=audit.AuditAction.CREATE,
        object_type="feedback.feedbackresponse",
        fields=["answers"],
        detail="anonymous feedback received",
    )
    return response


# --- The independent follow-up -------------------------------------------------------------


def _not_a_member(team, user):
    from django.core.exceptions import ValidationError

    from accounts.models import TeamMembership

    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise ValidationError(
            f"{user.display_name} works in {team.name}: an independent follow-up is made by someone outside the team.",
            code="member",
        )


@transaction.atomic
def name_reviewer(*, team, user, actor):
    """A lead names `user` to make `team`'s independent follow-ups (never a member of it)."""
    from .models import FollowUpReviewer

    _not_a_member(team, user)
    reviewer, created = FollowUpReviewer.objects.get_or_create(team=team, user=user, defaults={"added_by": actor})
    if created:
        audit.record(
            actor=actor,
            action=audit.AuditAction.CREATE,
            obj=reviewer,
            fields=["team", "user"],
            detail="named for independent follow-ups",
            changes={"follow_up_reviewer": [None, [user.username, team.name]]},
        )
    return reviewer


@transaction.atomic
def remove_reviewer(*, reviewer, actor):
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=reviewer,
        fields=["team", "user"],
        detail="no longer named for independent follow-ups",
        changes={"follow_up_reviewer": [[reviewer.user.username, reviewer.team.name], None]},
    )
    reviewer.delete()


# --- Quotes for the board ----------------------------------------------------------------------


@transaction.atomic
def review_quote(*, response, actor, approve):
    """A safeguarding lead approves (or refuses) one person's words for the board's report.
    Only words given with consent wait for a review; the audit entry names the decision, never the words."""
    from django.core.exceptions import ValidationError

    from .models import QuoteStatus

    locked = FeedbackResponse.objects.select_for_update().get(pk=response.pk)
    if not (locked.share_consent and locked.anything_else.strip()):
        raise ValidationError("These words were not given with consent to share them.", code="no_consent")
    locked.quote_status = QuoteStatus.APPROVED if approve else QuoteStatus.REFUSED
    locked.quote_reviewed_by = actor
    locked.quote_reviewed_at = timezone.now()
    locked.save(update_fields=["quote_status", "quote_reviewed_by", "quote_reviewed_at"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        obj=locked,
        case_id=locked.case_id,
        fields=["quote_status"],
        detail=f"quote {locked.quote_status}",
    )
    return locked
