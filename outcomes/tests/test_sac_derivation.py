"""The SAC derivation rules, for every combination (no database needed)."""

import itertools

import pytest

from outcomes.sac import EnquiryFacts, OutcomeResult, derive_sac_answers

F, P, N = "fully", "partially", "not"


@pytest.mark.parametrize(
    ("desired", "none_expressed", "dont_know", "expected"),
    [
        (2, False, "", "asked_expressed"),
        (2, True, "", "asked_expressed"),
        (1, True, "reason", "asked_expressed"),
        (0, True, "", "asked_not_expressed"),
        (0, True, "reason", "asked_not_expressed"),
        (0, False, "", "not_asked"),
        (0, False, "   ", "not_asked"),
        (0, False, "Records lost in a system move", "dont_know"),
    ],
)
def test_asked_about_desired_outcomes(desired, none_expressed, dont_know, expected):
    facts = EnquiryFacts(desired_outcomes=desired, asked_none_expressed=none_expressed, dont_know_reason=dont_know)
    answers = derive_sac_answers(facts)
    assert answers.asked_desired_outcomes == expected
    assert bool(answers.asked_dont_know_reason) == (expected == "dont_know")


def _expected_achieved(results):
    if all(r == F for r in results):
        return "fully"
    if all(r == N for r in results):
        return "not"
    return "partially"


@pytest.mark.parametrize(
    "results", [c for n in (1, 2, 3) for c in itertools.product((F, P, N), repeat=n)], ids=lambda r: "-".join(r)
)
def test_outcomes_achieved_for_every_combination_of_reviews(results):
    facts = EnquiryFacts(
        desired_outcomes=len(results), reviews=tuple(OutcomeResult(adult_view=r, practitioner_view=N) for r in results)
    )
    assert derive_sac_answers(facts).outcomes_achieved == _expected_achieved(results)


@pytest.mark.parametrize(
    ("adult", "practitioner", "expected"),
    [("fully", "not", "fully"), ("", "not", "not"), ("not", "fully", "not"), ("", "partially", "partially")],
)
def test_the_adults_view_counts_where_recorded_otherwise_the_practitioners(adult, practitioner, expected):
    facts = EnquiryFacts(desired_outcomes=1, reviews=(OutcomeResult(adult, practitioner),))
    assert derive_sac_answers(facts).outcomes_achieved == expected


@pytest.mark.parametrize("asked", ["asked_not_expressed", "not_asked", "dont_know"])
def test_achievement_is_blank_unless_outcomes_were_expressed(asked):
    facts = EnquiryFacts(
        desired_outcomes=0,
        asked_none_expressed=asked == "asked_not_expressed",
        dont_know_reason="x" if asked == "dont_know" else "",
        reviews=(OutcomeResult("fully", "fully"),),
    )
    answers = derive_sac_answers(facts)
    assert answers.asked_desired_outcomes == asked
    assert answers.outcomes_achieved == ""


@pytest.mark.parametrize(
    ("capacity", "advocacy", "lacked", "supported"),
    [
        ((), (), "not_recorded", ""),
        ((), ("independent",), "not_recorded", ""),
        (("has_capacity",), (), "no", ""),
        (("has_capacity",), ("none",), "no", ""),
        (("lacks_capacity",), (), "yes", "not_recorded"),
        (("has_capacity", "lacks_capacity"), (), "yes", "not_recorded"),
        (("lacks_capacity",), ("independent",), "yes", "yes"),
        (("lacks_capacity",), ("family_friend",), "yes", "yes"),
        (("lacks_capacity",), ("other",), "yes", "yes"),
        (("lacks_capacity",), ("none",), "yes", "no"),
        (("lacks_capacity",), ("declined",), "yes", "no"),
        (("lacks_capacity",), ("declined", "family_friend"), "yes", "yes"),
    ],
)
def test_capacity_and_advocacy(capacity, advocacy, lacked, supported):
    answers = derive_sac_answers(EnquiryFacts(capacity=capacity, advocacy=advocacy))
    assert (answers.lacked_capacity, answers.advocacy) == (lacked, supported)


def test_the_sac_answers_no_longer_carry_a_risk_outcome_each_risk_has_its_own():
    answers = derive_sac_answers(EnquiryFacts())
    assert "risk_outcome" not in answers.as_fields()


def test_facts_from_records_ignore_capacity_assessments_not_about_the_enquiry(world):
    from outcomes.sac import facts_for_case
    from outcomes.tests.factories import CapacityAssessmentFactory, ConversationFactory

    CapacityAssessmentFactory(case=world.case, outcome="lacks_capacity", about_the_enquiry=False, best_interests="x")
    CapacityAssessmentFactory(case=world.case, outcome="has_capacity")
    ConversationFactory(case=world.case, outcomes_discussion="none_expressed")
    answers = derive_sac_answers(facts_for_case(world.case))
    assert answers.lacked_capacity == "no"
    assert answers.asked_desired_outcomes == "asked_not_expressed"
