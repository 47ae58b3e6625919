"""The SAB aggregation's statements can be answered from the covering indexes alone (PostgreSQL).

At 1,000,000 cases the one-year aggregation stays under a second because no statement joins
or reads wide rows: SG1 and every SG2 table read the cases' facts rows (`reporting.facts`,
already joined) through the covering indexes of `reporting.models.CaseFacts`, the concluded
enquiries' answers the covering index `enquiry_concluded_sac`, the monthly trend the cases'
and enquiries' own covering indexes. This test keeps it so: a column added to a
statement but not to its index makes an index-only scan impossible.

The test data is tiny, so it is committed and VACUUMed (as autovacuum would: the visibility
map is what makes an index-only scan skip the table), and the planner is steered to plans that
read each table once by an index: sequential and bitmap scans, nested loops and merge joins
are switched off (on small tables it would otherwise rightly prefer them) and a page visit is
made very costly. It still reads a table's rows, by a plain index scan, when no index covers
what a statement needs from that table, which is what the test catches.

The SG2 statement (the cross-tabulations, one-way tables, SG2c and SG2e, from each concluded
enquiry's cells) reads `facts_concluded_sg2` alone; SG1 reads `facts_received_sg1` and
`facts_started_sg1`.
"""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import TeamFactory
from reporting import periods
from reporting.aggregation import Period, aggregate, aggregate_parts, monthly_trend
from reporting.tests import scenario

FY = Period(scenario.FY_START, scenario.FY_END)
REPORTED_TABLES = {"reporting_casefacts", "cases_case", "cases_person", "cases_enquiry", "cases_risk", "cases_risktype"}
#: What the aggregation reads: the facts rows and the concluded enquiries' answers (the monthly
#: trend reads the cases and enquiries too); never the adults or the risk records.
AGGREGATION_TABLES = {"reporting_casefacts", "cases_enquiry"}
FACT_INDEXES = {"facts_received_sg1", "facts_started_sg1", "facts_concluded_sg2", "enquiry_concluded_sac"}
STEERING = (
    "enable_seqscan = off",
    "enable_bitmapscan = off",
    "enable_tidscan = off",
    "enable_nestloop = off",
    "enable_mergejoin = off",
    "random_page_cost = 1000",
)


def _scans(plan):
    """(relation, node type, index) for every scan node of an EXPLAIN (FORMAT JSON) plan."""
    if "Relation Name" in plan:
        yield plan["Relation Name"], plan["Node Type"], plan.get("Index Name")
    for child in plan.get("Plans", ()):
        yield from _scans(child)


def _plans_of(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    statements = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert statements
    scans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in STEERING:
            cursor.execute(f"SET LOCAL {setting}")
        for table, index, primary in _shadowed_indexes(cursor):  # all rolled back below
            if primary:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{index}" CASCADE')
            else:
                cursor.execute(f'DROP INDEX "{index}"')
        for sql in statements:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            scans += list(_scans(plan[0]["Plan"]))
        transaction.set_rollback(True)
    return scans


#: Narrow tables whose covering index is nearly as wide as their rows (see `_shadowed_indexes`).
NARROW_TABLES = ["cases_risk", "cases_risktype"]


def _shadowed_indexes(cursor):
    """(table, index, is primary key) of a narrow table's plain indexes whose columns all lie in
    a wider index of the same table: the primary key and the foreign-key index of `cases_risk`
    under `risk_report_columns`, and the foreign-key index of `cases_risktype` under
    `unique_risk_abuse_type`.

    A risk row is little wider than its index entries, so on the test's hundred risks (two heap
    pages) a plain index plus a heap visit costs the planner no more than the wider index and it
    may take either; at scale the wider one wins because it spares a heap visit per row. Taking
    the plain ones out of the choice for the EXPLAIN shows whether the covering indexes answer
    each statement alone, which is what this test checks.
    """
    cursor.execute(
        """
        SELECT t.relname, plain.indexrelid::regclass::text, plain.indisprimary
        FROM pg_index plain
        JOIN pg_class t ON t.oid = plain.indrelid
        WHERE t.relname = ANY(%s) AND (plain.indisprimary OR NOT plain.indisunique)
          AND EXISTS (
            SELECT 1 FROM pg_index covering
            WHERE covering.indrelid = plain.indrelid AND covering.indexrelid <> plain.indexrelid
              AND covering.indnatts > plain.indnatts
              AND (plain.indkey::int2[]) <@ (covering.indkey::int2[])
          )
        """,
        [NARROW_TABLES],
    )
    return cursor.fetchall()


@pytest.fixture
def teams(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("covering indexes (INCLUDE) and index-only scans are PostgreSQL's")
    teams = [TeamFactory(name="North Team"), TeamFactory(name="South Team")]
    scenario.build(teams)
    tables = ", ".join(sorted(REPORTED_TABLES))
    with connection.cursor() as cursor:
        # Compact tables and indexes (earlier tests' rolled-back rows leave them padded), then
        # set the visibility maps, which VACUUM FULL does not.
        cursor.execute(f"VACUUM (FULL) {tables}")
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return teams


def _assert_reads_the_facts(scans, team):
    # A team's concluded answers find the team through the case (`case_person_team`).
    reported = [scan for scan in scans if scan[0] in REPORTED_TABLES]
    by_team = {"cases_case"} if team is not None else set()
    assert {relation for relation, _, _ in reported} == AGGREGATION_TABLES | by_team
    assert [scan for scan in reported if scan[1] != "Index Only Scan"] == []
    assert {index for _, _, index in reported} == FACT_INDEXES | ({"case_person_team"} if by_team else set())


@pytest.mark.parametrize("scope", ["board", "team"])
def test_every_aggregation_statement_reads_only_covering_indexes(teams, scope):
    team = teams[0] if scope == "team" else None
    scans = _plans_of(lambda: aggregate(FY, team))
    _assert_reads_the_facts(scans, team)
    trend = [scan for scan in _plans_of(lambda: monthly_trend(FY, team)) if scan[0] in REPORTED_TABLES]
    assert trend and [scan for scan in trend if scan[1] != "Index Only Scan"] == []


@pytest.mark.parametrize("scope", ["board", "team"])
def test_the_sg2_statements_over_risk_records_are_index_only(teams, scope):
    # The SG2 statement alone (every risk table, from the concluded enquiries' cells): one
    # index-only scan of the facts' covering index, never the risk records.
    from reporting.aggregation import _count_risks_from_facts, _empty_tables

    team = teams[0] if scope == "team" else None
    scans = _plans_of(lambda: _count_risks_from_facts(_empty_tables(), FY, team))
    assert [scan for scan in scans if scan[0] in REPORTED_TABLES] == [
        ("reporting_casefacts", "Index Only Scan", "facts_concluded_sg2")
    ]


@pytest.mark.parametrize("scope", ["board", "team"])
def test_the_statements_over_a_year_and_its_parts_read_only_covering_indexes(teams, scope):
    # aggregate_parts: the same four statements grouped by month, quarter and year.
    team = teams[0] if scope == "team" else None
    _assert_reads_the_facts(_plans_of(lambda: aggregate_parts(FY, team, parts=periods.parts)), team)
