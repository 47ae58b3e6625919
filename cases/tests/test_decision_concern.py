"""The decision pages (the practitioner proposing, the manager reviewing) show the concern
(what happened and the risks) beside the three section 42 criteria."""

import pytest

from cases.tests.factories import CaseFactory, DecisionFactory

WHAT_HAPPENED = "Bank cards missing; a nephew visits every day and takes her shopping."
IMMEDIATE = "The bank put a stop on the cards."


def _concern(world, **kwargs):
    return CaseFactory(
        team=world.team_a,
        what_happened=WHAT_HAPPENED,
        immediate_actions=IMMEDIATE,
        risks=[
            {"types": ["financial"], "location": "own_home", "source": "known"},
            {"types": ["neglect", "psychological"], "location": "care_home_residential", "source": "service_provider"},
        ],
        others_at_risk_adults=True,
        **kwargs,
    )


def _assert_concern_shown(case, body):
    assert WHAT_HAPPENED in body
    assert IMMEDIATE in body
    assert "Risk 1</dt><dd>Financial or material; own home; other – known to the individual" in body
    assert (
        "Risk 2</dt><dd>Neglect and acts of omission; Psychological; care home – residential; service provider" in body
    )
    assert "Other adults" in body
    # The concern comes before the criteria, so it is read first and sits beside them on a wide screen.
    assert body.index(WHAT_HAPPENED) < body.index("Care and support needs")


def test_the_practitioner_proposing_a_decision_sees_the_concern(world, login):
    case = _concern(world)
    response = login(world.practitioner).get(f"/cases/{case.pk}/decision/")
    assert response.status_code == 200
    _assert_concern_shown(case, response.content.decode())


@pytest.mark.parametrize("reviewer", ["manager", "lead"])
def test_the_manager_reviewing_a_decision_sees_the_concern(world, login, reviewer):
    decision = DecisionFactory(case=_concern(world, state="decision_pending"), proposed_by=world.practitioner)
    response = login(world.user(reviewer)).get(f"/cases/{decision.case.pk}/decision/review/")
    assert response.status_code == 200
    _assert_concern_shown(decision.case, response.content.decode())
