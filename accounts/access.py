"""The access policy, first half: roles, what each role allows, and the teams a user works in.

Every view is wrapped by `role_required` (what the user's role allows: 403 otherwise), and
every team-owned row is limited by `team_scope()` (the teams a user works in). The rules
about cases built on these (`case_scope`, `get_case_for_user`, `can_edit_case`, who may lead
an enquiry) are the second half, in `cases.access`.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role, Team, TeamMembership

CASE_WORKERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.LEAD})
MANAGERS = frozenset({Role.MANAGER, Role.LEAD})
REPORT_READERS = frozenset({Role.SAB_MEMBER, Role.LEAD})
USER_ADMINS = frozenset({Role.SYSADMIN, Role.LEAD})
LEADS = frozenset({Role.LEAD})


def has_role(user, roles):
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def works_cases(user):
    return has_role(user, CASE_WORKERS)


def manages(user):
    return has_role(user, MANAGERS)


def reads_reports(user):
    return has_role(user, REPORT_READERS)


def administers_users(user):
    return has_role(user, USER_ADMINS)


def is_lead(user):
    return has_role(user, LEADS)


def role_required(roles):
    """View decorator: 403 unless the signed-in user's role is one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def team_scope(user, field="team"):
    """Q limiting a team-owned row (via `field`) to the teams the user works in: every team for
    a safeguarding lead, their own teams for practitioners and managers, none for anyone else.
    The one definition of "the teams a user works in" (`teams_of`, `works_in_team` use it)."""
    if not works_cases(user):
        return Q(pk__in=[])
    if user.role == Role.LEAD:
        return Q()
    return Q(**{f"{field}__in": TeamMembership.objects.filter(user=user).values("team_id")})


def teams_of(user):
    """The teams the user works in, by name (the team choices of their forms and filters)."""
    return Team.objects.filter(team_scope(user, "pk")).order_by("name")


def works_in_team(user, team):
    """Whether `team` is one the user works in (no query for a lead)."""
    return is_lead(user) or teams_of(user).filter(pk=team.pk).exists()
