"""The migration that turns every version-1 concern into one risk (cases 0010), and the one that
gives a draft closure review's version-1 outcome to its risks (outcomes 0007), run forwards
on demo-like data built with the historical models, with the counts before and after."""

import datetime
import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.codes import V1_RISK_OUTCOME, AbuseType, LocationOfRisk, RiskOutcome, SourceOfRisk

BEFORE = [("cases", "0009_risks_and_health_condition"), ("outcomes", "0006_v1_risk_columns_optional")]
ONE_RISK_EACH = [("cases", "0010_one_risk_per_existing_concern"), ("outcomes", "0006_v1_risk_columns_optional")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _demo_rows(apps, rng, n=120):
    """Concerns as the demo data has them: 1 to 3 abuse types, every location and source, and
    concluded enquiries with every version-1 risk outcome (and some with none)."""
    from accounts.models import Team  # accounts is not migrated back: its current model fits the table

    Person = apps.get_model("cases", "Person")
    Case = apps.get_model("cases", "Case")
    CaseAbuseType = apps.get_model("cases", "CaseAbuseType")
    Enquiry = apps.get_model("cases", "Enquiry")
    ClosureReview = apps.get_model("outcomes", "ClosureReview")
    team = Team.objects.create(name="Migration Team")
    expected = {}
    outcomes = [*RiskOutcome.values, ""]
    for i in range(n):
        person = Person.objects.create(legal_name=f"Synthetic Person{i}")
        case = Case.objects.create(
            ref=f"MIG-{i:05d}",
            person=person,
            team_id=team.pk,
            received_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 900)),
            location_of_risk=rng.choice(LocationOfRisk.values),
            source_of_risk=rng.choice(SourceOfRisk.values),
            state="concern",
        )
        types = rng.sample(AbuseType.values, rng.randint(1, 3))
        CaseAbuseType.objects.bulk_create([CaseAbuseType(case=case, abuse_type=t) for t in types])
        kind = i % 4  # 0: concern only; 1: open enquiry; 2: concluded; 3: open with a draft closure review
        outcome = ""
        if kind:
            outcome = outcomes[(i // 4) % len(outcomes)]
            Enquiry.objects.create(
                case=case,
                kind="s42",
                started_on=datetime.date(2024, 5, 1),
                concluded_on=datetime.date(2024, 9, 1) if kind == 2 else None,
                risk_outcome=outcome if kind == 2 else "",
            )
            if kind == 3:
                ClosureReview.objects.create(case=case, risk_outcome=outcome, status="draft")
        mapped = V1_RISK_OUTCOME.get(outcome, ("", "")) if kind in (2, 3) else ("", "")
        expected[case.pk] = (sorted(types), case.location_of_risk, case.source_of_risk, tuple(map(str, mapped)))
    return expected


@pytest.mark.django_db(transaction=True)
def test_every_concern_becomes_one_risk_and_every_v1_outcome_is_mapped():
    try:
        apps = _migrate(BEFORE)
        expected = _demo_rows(apps, random.Random(2024))
        cases_before = apps.get_model("cases", "Case").objects.count()
        types_before = apps.get_model("cases", "CaseAbuseType").objects.count()
        concluded_before = dict(
            apps.get_model("cases", "Enquiry").objects.exclude(risk_outcome="").values_list("case_id", "risk_outcome")
        )
        assert cases_before == 120 and types_before > cases_before
        assert set(concluded_before.values()) == set(RiskOutcome.values)  # every v1 outcome is exercised

        apps = _migrate(ONE_RISK_EACH)
        Risk = apps.get_model("cases", "Risk")
        RiskType = apps.get_model("cases", "RiskType")
        assert Risk.objects.count() == cases_before  # cases == risks
        assert RiskType.objects.count() == types_before  # CaseAbuseType rows == RiskType rows
        for case_id, old in concluded_before.items():
            risk = Risk.objects.get(case_id=case_id)
            assert (risk.assessment, risk.result) == V1_RISK_OUTCOME[old]

        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        apps = _migrate(leaves)
        Risk = apps.get_model("cases", "Risk")
        assert Risk.objects.count() == cases_before
        for risk in Risk.objects.all():
            types = sorted(
                apps.get_model("cases", "RiskType").objects.filter(risk=risk).values_list("abuse_type", flat=True)
            )
            assert (types, risk.location, risk.source, (risk.assessment, risk.result)) == expected[risk.case_id]
        # The mapping of interchange.md section 1b, spelled out.
        by_outcome = {
            old: set(
                Risk.objects.filter(case_id__in=[c for c, o in concluded_before.items() if o == old]).values_list(
                    "assessment", "result"
                )
            )
            for old in RiskOutcome.values
        }
        assert by_outcome == {
            "removed": {("identified_action", "removed")},
            "reduced": {("identified_action", "reduced")},
            "remains": {("identified_action", "remained")},
            "no_risk": {("no_risk_no_action", "")},
            "ceased": {("ceased", "")},
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
