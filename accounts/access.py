"""The access policy: the one place that decides who may see and do what.

Every view is wrapped by `role_required` (what the user's role allows) and every read of
case data starts from `case_scope()` (where the user may look), through
`Case.objects.visible_to(user)` or `get_case_for_user()`. A case outside a user's scope
answers 404, so its existence is not revealed; an action the role does not allow answers 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from .models import Role, TeamMembership

CASE_WORKERS = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.LEAD})
MANAGERS = frozenset({Role.MANAGER, Role.LEAD})
REPORT_READERS = frozenset({Role.SAB_MEMBER, Role.LEAD})
USER_ADMINS = frozenset({Role.SYSADMIN, Role.LEAD})


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
    return has_role(user, {Role.LEAD})


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
    """Q limiting a team-owned row (via `field`) to the teams the user works in."""
    if not works_cases(user):
        return Q(pk__in=[])
    if user.role == Role.LEAD:
        return Q()
    return Q(**{f"{field}__in": TeamMembership.objects.filter(user=user).values("team_id")})


def case_scope(user, prefix=""):
    """Q over Case (or, with `prefix` like "case__", over rows that belong to a case).

    Team-scoped for practitioners and managers, all teams for leads; restricted cases only
    for their named users; nothing at all for SAB members and system administrators.
    """
    from cases.models import CaseAccessGrant

    if not works_cases(user):
        return Q(pk__in=[])
    named = Exists(CaseAccessGrant.objects.filter(case_id=OuterRef(f"{prefix}id" if prefix else "id"), user=user))
    return team_scope(user, f"{prefix}team") & (Q(**{f"{prefix}restricted": False}) | Q(named))


def can_edit_case(user, case):
    """Whether an in-scope user may change the case (closed cases are read-only)."""
    from cases.models import CaseState

    if not works_cases(user):
        return False
    if case.imported and user.role != Role.LEAD:
        return False
    return case.state not in (CaseState.CLOSED, CaseState.NO_FURTHER_ACTION)


def get_case_for_user(user, pk, *, write=False, queryset=None):
    """Fetch one case through the policy: 404 outside scope, 403 when writing is not allowed."""
    from cases.models import Case

    qs = queryset if queryset is not None else Case.objects.all()
    case = qs.filter(case_scope(user)).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    if write and not can_edit_case(user, case):
        raise edit_refusal(user, case)
    return case


def edit_refusal(user, case):
    """Why `user` may not change `case`: the role, an imported case, or (a rule of the case's
    stage, not a permission) a closed case, with a link back to it."""
    from django.urls import reverse

    from msp.errors import StateRefused

    if not works_cases(user):
        return PermissionDenied()
    if case.imported and user.role != Role.LEAD:
        return PermissionDenied("Only a safeguarding lead can change an imported case.")
    ended = "is closed" if case.state == "closed" else "ended with no further safeguarding action"
    return StateRefused(
        f"This case {ended}, so it can no longer be changed. A manager can reopen it.",
        back_url=reverse("cases:detail", args=[case.pk]),
    )


def screens_front_door(user):
    """Whether the user screens concerns raised online: a safeguarding lead, or a practitioner
    or manager of the team that owns the front door (`frontdoor.FrontDoorSetting`). Nobody else
    (SAB members and system administrators included) ever sees a submission."""
    if is_lead(user):
        return True
    if not works_cases(user):
        return False
    from frontdoor.models import FrontDoorSetting

    member = TeamMembership.objects.filter(user=user, team_id=OuterRef("team_id"))
    return FrontDoorSetting.objects.filter(Exists(member)).exists()
