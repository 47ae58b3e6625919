from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import access, audit
from .models import TeamMembership


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record(actor=user, action=audit.AuditAction.LOGIN, obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=audit.AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(actor=None, action=audit.AuditAction.LOGIN_FAILED, object_type="accounts.user")


@receiver([post_save, post_delete], sender=TeamMembership)
def forget_memberships_read(sender, **kwargs):
    """A membership changed: the request's memberships already read are read again."""
    access.forget_request_teams()
