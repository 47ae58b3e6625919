"""Who may screen the front door's submissions: one rule, used by every front-door page."""

from django.db.models import Exists, OuterRef

from accounts.access import is_lead, works_cases
from accounts.models import TeamMembership

from .models import FrontDoorSetting


def screens_front_door(user):
    """Whether the user screens concerns raised online: a safeguarding lead, or a practitioner
    or manager of the team that owns the front door (`frontdoor.FrontDoorSetting`). Nobody else
    (SAB members and system administrators included) ever sees a submission."""
    if is_lead(user):
        return True
    if not works_cases(user):
        return False
    member = TeamMembership.objects.filter(user=user, team_id=OuterRef("team_id"))
    return FrontDoorSetting.objects.filter(Exists(member)).exists()
