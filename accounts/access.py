"""The access policy, first half: roles, what each role allows, and the teams a user works in.

Every view is wrapped by `role_required` (what the user's role allows: 403 otherwise), and
every team-owned row is limited by `team_scope()` (the teams a user works in). The rules
about cases built on these (`case_scope`, `get_case_for_user`, `can_edit_case`, who may lead
an enquiry) are the second half, in `cases.access`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
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
    return Q(**{f"{field}__in": member_team_ids(user)})


#: {user id: (team id, ...)} for the request being served (`request_teams`), else None.
_REQUEST_TEAMS = ContextVar("msp_request_teams", default=None)


def member_team_ids(user):
    """The ids of the teams `user` is a member of, as a tuple: a statement limited by it names
    its teams as values (the planner sees how many, and which), not as a subquery it must guess
    at (a team's dashboard: 110 -> 51 ms of SQL at 1,000,000 concerns, docs/performance.md).
    Read once per request, inside `request_teams`; on every call outside one (tasks, shells)."""
    cache = _REQUEST_TEAMS.get()
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    ids = tuple(TeamMembership.objects.filter(user=user).values_list("team_id", flat=True))
    if cache is not None:
        cache[user.pk] = ids
    return ids


@contextmanager
def request_teams():
    """Keep `member_team_ids` for the length of one request (`accounts.middleware.RequestTeamsMiddleware`);
    any change to a membership empties it (`accounts.signals`)."""
    token = _REQUEST_TEAMS.set({})
    try:
        yield
    finally:
        _REQUEST_TEAMS.reset(token)


def forget_request_teams():
    cache = _REQUEST_TEAMS.get()
    if cache is not None:
        cache.clear()


def teams_of(user):
    """The teams the user works in, by name (the team choices of their forms and filters)."""
    return Team.objects.filter(team_scope(user, "pk")).order_by("name")


def works_in_team(user, team):
    """Whether `team` is one the user works in (no query for a lead)."""
    return is_lead(user) or teams_of(user).filter(pk=team.pk).exists()
