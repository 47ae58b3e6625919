"""Housekeeping on the beat's schedule: the daily audit-chain check (it was a systemd timer),
dormant-account deactivation and the expiry of stored one-time keys. Each holds its own
advisory lock, so a second beat does nothing while the first works."""

import io
import logging
from importlib import import_module

from django.conf import settings
from django.core.mail import send_mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role, User
from accounts.submissions import KEEP_FOR, FormSubmission
from msp.locks import exclusive

logger = logging.getLogger(__name__)
audit_logger = logging.getLogger("accounts.audit")

VERIFY_LOCK = 0x5AD0_0000_0000_0003
DORMANT_LOCK = 0x5AD0_0000_0000_0004
EXPIRE_LOCK = 0x5AD0_0000_0000_0005


def verify_audit_log():
    """Run `verify_audit_log` (with AUDIT_ANCHOR_FILE). On a break: an ERROR log line and a mail
    to every active safeguarding lead. Returns True (intact), False (broken) or None (locked)."""
    with exclusive(VERIFY_LOCK) as acquired:
        if not acquired:
            return None
        try:
            call_command("verify_audit_log", stdout=io.StringIO())
        except CommandError as exc:
            audit_logger.error("Audit log verification FAILED: %s", exc)
            _mail_leads(
                "MSP Safeguarding: the audit log check failed",
                "Tonight's check of the audit log's hash chain failed:\n\n"
                f"{exc}\n\nInvestigate with `python manage.py verify_audit_log` (docs/security.md, "
                '"Audit log integrity"). The check runs again tomorrow.',
            )
            return False
        return True


def _mail_leads(subject, body):
    leads = list(User.objects.filter(is_active=True, role=Role.LEAD).exclude(email="").values_list("email", flat=True))
    if not leads:
        audit_logger.error("No active safeguarding lead has an email address to tell.")
        return
    try:
        send_mail(subject, body, None, leads)
    except Exception as exc:
        audit_logger.error("The audit-check failure mail was not sent: %s", type(exc).__name__)


def deactivate_dormant_accounts():
    with exclusive(DORMANT_LOCK) as acquired:
        if not acquired:
            return None
        done = account_services.deactivate_dormant_accounts(days=settings.DORMANT_ACCOUNT_DAYS)
        logger.info("dormant accounts deactivated: %s", len(done))  # a count: names are in the audit log
        return len(done)


def expire_one_time_keys(*, now=None):
    """Delete one-time submission keys older than their day and expired sessions. (Account links
    are signed tokens that expire by themselves: nothing of them is stored. The front door's
    feedback codes of issue 15 belong here when they exist.)"""
    with exclusive(EXPIRE_LOCK) as acquired:
        if not acquired:
            return None
        cutoff = (now or timezone.now()) - KEEP_FOR
        keys, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        logger.info("one-time keys expired: %s", keys)
        return keys
