"""The case access rules: where a user may look, what they may change, who may lead an enquiry.

The access policy has two halves. `accounts.access` holds the roles, `role_required` (what
a role allows, for every view) and `team_scope` (which teams a user works in). This module
holds the rules about cases, built on them: every read of case data starts from
`case_scope()` (where the user may look), through `Case.objects.filter(case_scope(user))` or
`get_case_for_user()`. A case outside a user's scope answers 404, so its existence is not
revealed; an action the role does not allow answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse

from accounts.access import CASE_WORKERS, is_lead, manages, member_team_ids, team_scope, works_cases
from accounts.models import User
from msp.errors import StateRefused

from .models import Case, CaseAccessGrant, CaseState

IMPORTED_CASE_REFUSAL = "Only a safeguarding lead can change an imported case."


def case_scope(user, prefix=""):
    """Q over Case (or, with `prefix` like "case__", over rows that belong to a case; "case_"
    reads a risk's own copies of its case's facts, `Risk.case_team` and `case_restricted`).

    Team-scoped for practitioners and managers, all teams for leads; restricted cases only
    for their named users; nothing at all for SAB members and system administrators.
    """
    if not works_cases(user):
        return Q(pk__in=[])
    named = Exists(CaseAccessGrant.objects.filter(case_id=OuterRef(f"{prefix}id" if prefix else "id"), user=user))
    return team_scope(user, f"{prefix}team") & (Q(**{f"{prefix}restricted": False}) | Q(named))


def may_change_imported(user, case):
    """Whether the import rule lets `user` change `case`: an imported (legacy) case is changed
    by a safeguarding lead only; a case recorded here is not limited by it."""
    return not case.imported or is_lead(user)


def can_edit_case(user, case):
    """Whether an in-scope user may change the case (closed cases are read-only)."""
    if not works_cases(user) or not may_change_imported(user, case):
        return False
    return case.state not in (CaseState.CLOSED, CaseState.NO_FURTHER_ACTION)


def can_change_disclosure(user, case):
    """Whether an in-scope user may mark the case's documents, notes and contacts as to be
    disclosed to the adult or not: whoever may change the case and, on a closed case (a subject
    access request often comes after), its managers and the safeguarding leads."""
    if can_edit_case(user, case):
        return True
    return manages(user) and may_change_imported(user, case)


def get_case_for_user(user, pk, *, write=False, queryset=None):
    """Fetch one case through the policy: 404 outside scope, 403 when writing is not allowed."""
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
    if not works_cases(user):
        return PermissionDenied()
    if not may_change_imported(user, case):
        return PermissionDenied(IMPORTED_CASE_REFUSAL)
    ended = "is closed" if case.state == "closed" else "ended with no further safeguarding action"
    return StateRefused(
        f"This case {ended}, so it can no longer be changed. A manager can reopen it.",
        back_url=reverse("cases:detail", args=[case.pk]),
    )


def correction_refusal(*, user, case, record):
    """Why `user` may not correct the MSP `record` on the in-scope `case` ("" when they may).

    A record is corrected by its author or a manager (of the case's team: an in-scope manager,
    or a lead), only while the enquiry is open; a closed or pending enquiry is a state rule,
    not a permission, so the reason says so.
    """
    if case.state == CaseState.CLOSURE_PENDING:
        return "Records can be corrected while the enquiry is open. This one has been sent for closure sign-off."
    if case.state != CaseState.ENQUIRY_OPEN:
        return "Records can be corrected while the enquiry is open. This enquiry is not open."
    if not can_edit_case(user, case):  # in scope and open: only an imported case is left
        return "This case was imported from the old system, so only a safeguarding lead can change it."
    if record.recorded_by_id == user.pk or manages(user):
        return ""
    return "Only the person who recorded this, or a manager, can correct it."


# --- Who may lead an enquiry ------------------------------------------------------------


def enquiry_leads():
    """Who may lead an enquiry, as a User queryset: active practitioners, team managers and
    safeguarding leads (a lead may do everything a manager does, and a manager may lead an
    enquiry). Each enquiry's lead must also be a member of its case's team: filter on
    `memberships__team`, or ask `may_lead_enquiry`."""
    return User.objects.filter(is_active=True, role__in=CASE_WORKERS)


def may_lead_enquiries(user):
    """Whether `user` is one of `enquiry_leads()` (an active practitioner, manager or lead)."""
    return works_cases(user)


def lead_teams(user):
    """The ids of the teams whose enquiries `user` may lead: their own teams, if they may lead
    enquiries at all."""
    if not may_lead_enquiries(user):
        return set()
    return set(member_team_ids(user))


def may_lead_enquiry(user, case):
    """Whether `user` may be the lead practitioner of `case`'s enquiry."""
    return case.team_id in lead_teams(user)
