"""Reads about staff accounts: the access review for safeguarding leads."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccessGrantRequest, GrantOutcome, User


@dataclass
class AccessReviewRow:
    user: object
    teams: list
    named_cases: list  # case references of the restricted cases the user is named on
    two_factor: bool
    pending: list  # AccessGrantRequest, oldest first


def pending_grants():
    """Grants waiting for a safeguarding lead, oldest first, with who asked and for whom."""
    return (
        AccessGrantRequest.objects.pending()
        .select_related("user", "requested_by", "case")
        .prefetch_related("teams")
        .order_by("requested_at", "id")
    )


def recent_decisions(limit=20):
    return (
        AccessGrantRequest.objects.exclude(outcome=GrantOutcome.PENDING)
        .select_related("user", "requested_by", "decided_by", "case")
        .prefetch_related("teams")
        .order_by("-decided_at", "-id")[:limit]
    )


def access_review():
    """Every account with its role, teams, named grants, last sign-in, 2FA and pending grants."""
    # The named grants are the cases app's rows; reached through the relation, not an import.
    grants = User._meta.get_field("case_grants").related_model.objects.select_related("case")
    users = (
        User.objects.annotate(
            two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .prefetch_related(
            "teams",
            Prefetch("case_grants", queryset=grants.order_by("case__ref")),
            Prefetch("grant_requests", queryset=pending_grants(), to_attr="pending"),
        )
        .order_by("username")
    )
    return [
        AccessReviewRow(
            user=user,
            teams=[team.name for team in user.teams.all()],
            named_cases=[grant.case.ref for grant in user.case_grants.all()],
            two_factor=user.two_factor,
            pending=user.pending,
        )
        for user in users
    ]
