"""The benchmark's one-statement SQL (over the records, and over the cases' facts the
aggregation reads) counts the same figures as the ORM aggregation (PostgreSQL)."""

import pytest
from django.db import connection

from accounts.tests.factories import TeamFactory
from bench.bench_reporting import handwritten_aggregate, handwritten_facts_aggregate
from reporting.aggregation import TOTAL, Period, aggregate
from reporting.tests import scenario


@pytest.mark.parametrize("statement", [handwritten_aggregate, handwritten_facts_aggregate])
def test_the_handwritten_sql_agrees_with_the_orm_aggregation(db, statement):
    if connection.vendor != "postgresql":
        pytest.skip("the hand-written comparison query is PostgreSQL SQL")
    scenario.build([TeamFactory(name="North Team")])
    period = Period(scenario.FY_START, scenario.FY_END)
    orm = aggregate(period)
    sql = statement(period)
    concluded = sql.pop(("concluded", TOTAL, "enquiries"))
    for (table, row, column), value in sql.items():
        assert orm[table][row][column] == value, (table, row, column)
    for table in ("concluded_by_type", "concluded_by_location", "sg2c_risk_assessment", "msp_asked", "capacity"):
        assert orm[table][TOTAL]["enquiries"] == concluded
    nonzero = {
        (table, row, column)
        for table, rows in orm.items()
        if table not in ("not_recorded", "sg1f_totals")
        for row, columns in rows.items()
        if row != TOTAL or table in ("concerns", "enquiries_started")
        for column, value in columns.items()
        if value
    }
    assert nonzero <= set(sql)
