"""The case facts each risk carries (`cases.risk_facts`): copied by database triggers on every
write path, and the case access policy over them is the policy over the case itself."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from cases.access import case_scope
from cases.models import Case, CaseAccessGrant, CaseState, Risk
from cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _facts(risk):
    risk = Risk.objects.get(pk=risk.pk)
    return (risk.case_received_at, risk.case_team_id, risk.case_restricted, risk.case_state)


def _case_facts(case):
    case = Case.objects.get(pk=case.pk)
    return (case.received_at, case.team_id, case.restricted, case.state)


def test_a_new_risk_carries_its_cases_facts_and_follows_every_change_of_them():
    case = CaseFactory(state=CaseState.CONCERN, risks=[{}, {"source": "unknown"}])
    risks = list(case.risks.all())
    assert all(_facts(r) == _case_facts(case) for r in risks)
    other_team = TeamFactory()
    received = timezone.now() - datetime.timedelta(days=40)
    for change in (
        {"state": CaseState.ENQUIRY_OPEN},
        {"team": other_team},
        {"restricted": True},
        {"received_at": received},
    ):
        Case.objects.filter(pk=case.pk).update(**change)  # a queryset update, not save()
        assert all(_facts(r) == _case_facts(case) for r in risks), change
    case.refresh_from_db()
    case.state = CaseState.CLOSED
    case.save()
    assert _facts(risks[0])[3] == CaseState.CLOSED


def test_saving_a_risk_with_stale_copies_puts_the_cases_back():
    case = CaseFactory(state=CaseState.CONCERN)
    risk = case.risks.get()
    Case.objects.filter(pk=case.pk).update(state=CaseState.ENQUIRY_OPEN)
    risk.case_state, risk.case_restricted, risk.case_team_id = "closed", True, None  # as if read before
    risk.assessment = ""
    risk.save()
    assert _facts(risk) == _case_facts(case)


def test_a_risk_written_before_its_case_gets_the_facts_when_the_case_arrives():
    template = CaseFactory()
    with transaction.atomic():  # the foreign key is checked at commit
        next_id = Case.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        risk = Risk.objects.create(case_id=next_id, location="own_home", source="known")
        case = Case.objects.create(
            pk=next_id, ref="TEST-FACTS1", person=template.person, team=template.team,
            received_at=template.received_at, state=CaseState.DECISION_PENDING,
        )  # fmt: skip
    assert _facts(risk) == _case_facts(case)


def test_the_scope_over_the_copies_is_the_scope_over_the_case():
    team_a, team_b = TeamFactory(), TeamFactory()
    users = [
        UserFactory(role=Role.PRACTITIONER, teams=[team_a]),
        UserFactory(role=Role.MANAGER, teams=[team_a, team_b]),
        UserFactory(role=Role.LEAD),
        UserFactory(role=Role.SAB_MEMBER),
    ]
    cases = [
        CaseFactory(team=team, restricted=restricted, risks=[{}, {}])
        for team in (team_a, team_b, TeamFactory())
        for restricted in (False, True)
    ]
    CaseAccessGrant.objects.create(case=cases[1], user=users[0], granted_by=users[2])
    CaseAccessGrant.objects.create(case=cases[5], user=users[2], granted_by=users[2])
    for user in users:
        through_case = set(Risk.objects.filter(case_scope(user, prefix="case__")).values_list("pk", flat=True))
        through_copies = set(Risk.objects.filter(case_scope(user, prefix="case_")).values_list("pk", flat=True))
        assert through_copies == through_case, user.role
    assert set(Risk.objects.filter(case_scope(users[0], prefix="case_")).values_list("case", flat=True)) == {
        cases[0].pk,
        cases[1].pk,
    }
