"""What people told us, for the board: the `msp_feedback` tables (every route, and one per
route; rows question codes, columns answer codes), counted in the database and published only
through `reporting.disclosure`; a property test where the test is the attacker."""

import datetime
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.tests.factories import CaseFactory
from feedback.models import Route
from feedback.questions import ANSWER_COLUMNS, NOT_ASKED, QUESTION_CODES, QUESTIONS, RATHER_NOT_SAY
from reporting import disclosure
from reporting.aggregation import FEEDBACK_TABLE_IDS, Period, aggregate_feedback, feedback_quarters
from reporting.rendering import tables_to_csv
from reporting.tests import attacker

from .factories import response

QUARTER = Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
BY_ROUTE = ("msp_feedback_at_closure", "msp_feedback_independent", "msp_feedback_anonymous")


def test_a_questionnaire_counts_in_a_period_that_holds_its_whole_quarter():
    year = Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert feedback_quarters(year) == [datetime.date(2025, m, 1) for m in (4, 7, 10)] + [datetime.date(2026, 1, 1)]
    assert feedback_quarters(QUARTER) == [datetime.date(2025, 4, 1)]
    assert feedback_quarters(Period(datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))) == []
    assert feedback_quarters(Period(datetime.date(2025, 4, 2), datetime.date(2025, 9, 30))) == [
        datetime.date(2025, 7, 1)
    ]


@pytest.mark.django_db
def test_the_tables_count_answers_per_question_by_route_in_two_queries(world, django_assert_num_queries):
    day = datetime.date(2025, 5, 10)
    every = {q.code: "yes" if "yes" in q.answers else RATHER_NOT_SAY for q in QUESTIONS}
    response(case=world.case, route=Route.AT_CLOSURE, answers=every, day=day)
    response(case=world.case, route=Route.INDEPENDENT, answers={**every, "q5_safer": "no"}, day=day)
    response(team=world.team_a, route=Route.ANONYMOUS, answers={**every, "q5_safer": "partly"}, day=day)
    response(team=world.team_b, route=Route.ANONYMOUS, answers=every, day=day)
    next_quarter = datetime.date(2025, 7, 1)
    response(case=CaseFactory(team=world.team_a), route=Route.AT_CLOSURE, answers=every, day=next_quarter)
    with django_assert_num_queries(2):
        tables = aggregate_feedback(QUARTER)
    assert set(tables) == set(FEEDBACK_TABLE_IDS)
    assert tables["msp_feedback"]["total"]["yes"] == 4
    assert tables["msp_feedback"]["q5_safer"] == {**dict.fromkeys(ANSWER_COLUMNS, 0), "yes": 2, "no": 1, "partly": 1}
    assert tables["msp_feedback_independent"]["q5_safer"]["no"] == 1
    assert tables["msp_feedback_anonymous"]["total"]["yes"] == 2
    assert aggregate_feedback(QUARTER, world.team_b)["msp_feedback"]["total"]["no"] == 1
    for table in tables.values():
        assert set(table) == {*QUESTION_CODES, "total"}
        for question in QUESTION_CODES:  # each questionnaire answers each question once
            assert sum(table[question].values()) == table["total"]["yes"]


def _tables(rng, sizes, lean):
    """Unrounded feedback tables for questionnaires by route (`sizes`), answers drawn at random."""
    tables = {
        table: {row: dict.fromkeys(ANSWER_COLUMNS, 0) for row in (*QUESTION_CODES, "total")}
        for table in ("msp_feedback", *BY_ROUTE)
    }
    for table, size in zip(BY_ROUTE, sizes, strict=True):
        for _ in range(size):
            for column in ANSWER_COLUMNS:
                tables[table]["total"][column] += 1
                tables["msp_feedback"]["total"][column] += 1
            for question in QUESTIONS:
                scale = [*question.answers, RATHER_NOT_SAY] + ([NOT_ASKED] if table != BY_ROUTE[2] else [])
                answer = scale[0] if rng.random() < lean else rng.choice(scale)
                tables[table][question.code][answer] += 1
                tables["msp_feedback"][question.code][answer] += 1
    return tables


def _attack(publication):
    """The attacker's system: every column (each answer at most the questionnaires), written by
    `attacker.add_report`; and, from the tables' structure (docs/feedback.md): each question's row
    adds up to the questionnaires, and every-route = the sum of the three routes, cell by cell."""
    system = attacker.System()
    variables = attacker.add_report(system, "q", publication)
    for table in ("msp_feedback", *BY_ROUTE):
        for question in QUESTION_CODES:
            cells = [variables[(table, question, answer)] for answer in ANSWER_COLUMNS]
            system.add((disclosure.SUM, cells, variables[(table, "total", ANSWER_COLUMNS[0])]))
            for answer in ANSWER_COLUMNS[1:]:  # every column's total is the same questionnaires
                system.add(("le", variables[(table, "total", answer)], variables[(table, "total", ANSWER_COLUMNS[0])]))
                system.add(("le", variables[(table, "total", ANSWER_COLUMNS[0])], variables[(table, "total", answer)]))
    for row in (*QUESTION_CODES, "total"):
        for answer in ANSWER_COLUMNS:
            cells = [variables[(table, row, answer)] for table in BY_ROUTE]
            system.add((disclosure.SUM, cells, variables[("msp_feedback", row, answer)]))
    attacker.truth(system, attacker.true_values("q", publication, variables))
    return system, variables


PROPERTY = settings(
    max_examples=int(os.environ.get("DISCLOSURE_EXAMPLES", 25)),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
sizes = st.tuples(st.integers(0, 40), st.integers(0, 25), st.integers(0, 25))


@PROPERTY
@given(st.integers(0, 2**32 - 1), sizes, st.sampled_from([0.0, 0.5, 0.9]))
def test_no_hidden_feedback_cell_can_be_bounded_narrower_than_1_to_7(seed, sizes, lean):
    tables = _tables(random.Random(seed), sizes, lean)
    publication = disclosure.control(tables, population=sum(sizes) + 8)
    system, variables = _attack(publication)
    hidden = attacker.hidden_cells("q", publication, variables)
    probe = random.Random(seed).sample(sorted(hidden, key=repr), min(12, len(hidden)))
    narrowed = attacker.narrower_than_1_to_7(attacker.bounds(system, hidden, probe=set(probe)))
    assert not narrowed, narrowed
    # No published question shows one answer only: that answer would be everybody's.
    for table in publication.true:
        if not publication.is_withheld(table):
            for question in QUESTION_CODES:
                shown = [a for a in ANSWER_COLUMNS if publication.value(table, question, a) != 0]
                assert len(shown) >= 2, (table, question)
        for columns in publication.cells[table].values():
            for value in columns.values():
                assert value == disclosure.SUPPRESSED or value == 0 or value % 5 == 0


def test_a_large_board_publishes_its_feedback_rounded_and_a_small_one_withholds_it():
    large = disclosure.control(_tables(random.Random(1), (400, 200, 150), 0.3), population=5000)
    assert not large.is_withheld("msp_feedback")
    assert large.value("msp_feedback", "total", "yes") == disclosure.count(750)
    small = disclosure.control(_tables(random.Random(1), (5, 1, 1), 0.9), population=5000)
    assert small.is_withheld("msp_feedback_independent") and small.is_withheld("msp_feedback_anonymous")
    csv_text = tables_to_csv(large.cells)
    assert "msp_feedback,q5_safer,yes," in csv_text and "msp_feedback_anonymous,total,rather_not_say," in csv_text
