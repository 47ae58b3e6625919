"""Reads of case data. Every one starts from the access policy's scope."""

from accounts.models import AuditAction, AuditEvent

from .models import Case


def case_list(*, user):
    """Cases the user may see, newest concern first, with what a list row shows."""
    return (
        Case.objects.visible_to(user)
        .select_related("person", "team", "enquiry__lead_practitioner")
        .order_by("-received_at", "-id")
    )


def case_detail_queryset():
    return Case.objects.select_related("person", "team", "created_by", "enquiry__lead_practitioner")


def case_access_log(*, case):
    """Who has read or changed this case, newest first."""
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by("-at", "-id")


def case_readers(*, case):
    """Distinct users who viewed this case and when they last did."""
    from django.db.models import Count, Max

    return (
        AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.VIEW)
        .values("actor__username", "actor__first_name", "actor__last_name")
        .annotate(last_viewed=Max("at"), views=Count("id"))
        .order_by("-last_viewed")
    )
