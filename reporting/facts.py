"""The SAC figures' per-case facts (`reporting.models.CaseFacts`), kept by PostgreSQL triggers.

At a million concerns the year's aggregation spent most of its time joining: each concern to
its adult for SG1, each enquiry to its case and adult, each concluded enquiry to its risks and
their types, then sorting the joined rows to count each enquiry once per cell. A case's facts
row holds all of that already joined, one row per case:

- the concern: `received_at`, `team_id`, `person_id`;
- the adult's SAC demographics: `adult_date_of_birth`, `adult_gender`, `adult_ethnicity`,
  `adult_primary_support_reason`, `adult_health_condition`;
- the enquiry, if any: `enquiry_kind`, `started_on`, `concluded_on`;
- `risk_cells`: every SG2 cell the case counts in across all its risks, once each (so counting
  the enquiries in a cell is counting the rows whose array holds it, with no DISTINCT).

A cell is a number: `grouping * 10000 + row * 100 + column`, the row and column being the
code's position (from 1) in its code list (`CELL_GROUPINGS`); `decode()` turns it back. The
SQL that builds the arrays is generated from the same code lists, so a migration that adds
or reorders a code must call `install(schema_editor)` again, which recomputes every row.

The triggers are statement-level with transition tables, so a bulk write (the demo
generator's COPY, the legacy import, a queryset `update()`) refreshes its cases in one
set-based statement: every trigger collects the ids of the cases a write touched and calls
`reporting_refresh_case_facts(ids)`, which recomputes those cases' rows from the records
(inserting, updating, or deleting the row of a case that no longer exists). It locks their
facts rows first, so two transactions changing one case's risks at once cannot leave the
earlier one's arrays behind: the second waits and then reads what the first committed. A bulk
load (`cases.bulk.loading`: the legacy import, the demo generator) turns the triggers off for its
transaction and refreshes its cases once at the end (`cases_loaded`), instead of once for every
COPY of every table.

PostgreSQL only: the embedded SQLite default (a first run, small data) counts from the
records directly and its `reporting_casefacts` table stays empty.
"""

# ruff: noqa: S608 - every statement here is built from constants (table, column and code names), never input

from cases.codes import RISK_IDENTIFIED, AbuseType, LocationOfRisk, RiskAssessment, RiskResult, SourceOfRisk

#: The groupings of the cells, numbered from 1: (name, row codes, column codes). The first
#: seven are the type / location / source groupings of `aggregation.RISK_GROUPINGS` (a risk
#: type row each); the rest are SG2c and SG2e over the risks (`aggregation._risk_outcome_conditions`).
CELL_GROUPINGS = (
    ("type_source", AbuseType.values, SourceOfRisk.values),
    ("location_source", LocationOfRisk.values, SourceOfRisk.values),
    ("type_location", AbuseType.values, LocationOfRisk.values),
    ("type", AbuseType.values, ()),
    ("location", LocationOfRisk.values, ()),
    ("source", SourceOfRisk.values, ()),
    ("total", (), ()),
    ("assessed", (), ()),
    ("identified", (), ()),
    ("resulted", (), ()),
    ("sg2c_risk_assessment", RiskAssessment.values, ()),
    ("sg2e_result", RiskResult.values, ()),
)
_NUMBER = {name: number for number, (name, _, _) in enumerate(CELL_GROUPINGS, start=1)}


def decode(cell):
    """(grouping name, key tuple) of a cell number: ("type_source", ("physical", "known")), ("total", ())."""
    name, rows, columns = CELL_GROUPINGS[cell // 10000 - 1]
    key = ()
    if rows:
        key += (rows[cell // 100 % 100 - 1],)
    if columns:
        key += (columns[cell % 100 - 1],)
    return name, key


def _position(codes, column):
    quoted = ", ".join(f"'{code}'" for code in codes)
    return f"array_position(ARRAY[{quoted}]::text[], {column})"


def _cell(name, row="0", column="0"):
    return f"({_NUMBER[name] * 10000} + {row} * 100 + {column})"


def _cells_sql(where):
    """SQL of (case_id, cells): each case's SG2 cells, deduplicated and sorted, for the risks `where`
    selects (a condition on `r`). A code outside its list gives a NULL cell, which counts nowhere."""
    t = _position(AbuseType.values, "t.abuse_type")
    loc = _position(LocationOfRisk.values, "r.location")
    s = _position(SourceOfRisk.values, "r.source")
    identified = "r.assessment IN (" + ", ".join(f"'{code}'" for code in sorted(RISK_IDENTIFIED)) + ")"
    typed = ", ".join(
        f"({cell})"
        for cell in (
            _cell("type_source", t, s), _cell("location_source", loc, s), _cell("type_location", t, loc),
            _cell("type", t), _cell("location", loc), _cell("source", s), _cell("total"),
        )
    )  # fmt: skip
    assessed = ", ".join(
        f"({cell})"
        for cell in (
            f"CASE WHEN r.assessment <> '' THEN {_cell('assessed')} END",
            f"CASE WHEN {identified} THEN {_cell('identified')} END",
            f"CASE WHEN {identified} AND r.result <> '' THEN {_cell('resulted')} END",
            _cell("sg2c_risk_assessment", _position(RiskAssessment.values, "r.assessment")),
            f"CASE WHEN {identified} THEN {_cell('sg2e_result', _position(RiskResult.values, 'r.result'))} END",
        )
    )
    return f"""
        SELECT case_id, array_agg(cell ORDER BY cell) AS cells FROM (
            SELECT r.case_id, x.cell FROM cases_risk r JOIN cases_risktype t ON t.risk_id = r.id
                CROSS JOIN LATERAL (VALUES {typed}) AS x(cell) WHERE {where}
            UNION
            SELECT r.case_id, x.cell FROM cases_risk r
                CROSS JOIN LATERAL (VALUES {assessed}) AS x(cell) WHERE {where}
        ) AS case_cells WHERE cell IS NOT NULL GROUP BY case_id"""


_COLUMNS = (
    "case_id", "received_at", "team_id", "person_id", "adult_date_of_birth", "adult_gender", "adult_ethnicity",
    "adult_primary_support_reason", "adult_health_condition", "enquiry_kind", "started_on", "concluded_on",
    "risk_cells",
)  # fmt: skip


def _upsert_sql(cases_where, risks_where):
    """INSERT ... ON CONFLICT of the facts rows of the cases `cases_where` selects (on `c`)."""
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in _COLUMNS[1:])
    return f"""
        INSERT INTO reporting_casefacts ({", ".join(_COLUMNS)})
        SELECT c.id, c.received_at, c.team_id, c.person_id, p.date_of_birth, p.gender, p.ethnicity,
               p.primary_support_reason, p.health_condition, e.kind, e.started_on, e.concluded_on,
               COALESCE(cells.cells, '{{}}')
          FROM cases_case c
          LEFT JOIN cases_person p ON p.id = c.person_id
          LEFT JOIN cases_enquiry e ON e.case_id = c.id
          LEFT JOIN ({_cells_sql(risks_where)}) AS cells ON cells.case_id = c.id
         WHERE {cases_where}
        ON CONFLICT (case_id) DO UPDATE SET {updates}"""


#: (table, the transition table's case ids SQL, for UPDATE the columns whose change matters).
#: `{rows}` is the transition table (new_rows or old_rows).
_SOURCES = {
    "cases_case": ("SELECT x.id FROM {rows} x", ("received_at", "team_id", "person_id")),
    "cases_enquiry": ("SELECT x.case_id FROM {rows} x", ("case_id", "kind", "started_on", "concluded_on")),
    "cases_risk": ("SELECT x.case_id FROM {rows} x", ("case_id", "location", "source", "assessment", "result")),
    "cases_risktype": (
        "SELECT r.case_id FROM {rows} x JOIN cases_risk r ON r.id = x.risk_id",
        ("risk_id", "abuse_type"),
    ),
    "cases_person": (
        "SELECT c.id FROM {rows} x JOIN cases_case c ON c.person_id = x.id",
        ("date_of_birth", "gender", "ethnicity", "primary_support_reason", "health_condition"),
    ),
}


def _changed(columns, side):
    """The rows an UPDATE changed in one of `columns`, as they are (`side` "n") or were ("o")."""
    mine = ", ".join(f"n.{column}" for column in columns)
    theirs = ", ".join(f"o.{column}" for column in columns)
    return (
        f"(SELECT {side}.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ({mine}) IS DISTINCT FROM ({theirs}))"
    )


def _trigger_function(table):
    ids, columns = _SOURCES[table]
    inserted, deleted = ids.format(rows="new_rows"), ids.format(rows="old_rows")
    # On an UPDATE, the cases of the changed rows as they were and as they are (a risk moved to
    # another case changes both). A person is never inserted with cases, so only its UPDATE counts.
    updated = f"{ids.format(rows=_changed(columns, 'n'))} UNION {ids.format(rows=_changed(columns, 'o'))}"
    return f"""
CREATE OR REPLACE FUNCTION {table}_refresh_sac_facts() RETURNS trigger AS $$
BEGIN
    IF current_setting('msp.bulk_load', true) = 'on' THEN
        RETURN NULL;  -- a bulk load (cases.bulk.loading): refreshed once at its end
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM reporting_refresh_case_facts(ARRAY({inserted}));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reporting_refresh_case_facts(ARRAY({deleted}));
    ELSE
        PERFORM reporting_refresh_case_facts(ARRAY({updated}));
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;"""


def _events(table):
    return ("UPDATE",) if table == "cases_person" else ("INSERT", "UPDATE", "DELETE")


def _triggers(table):
    statements = []
    for event in _events(table):
        referencing = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
            event, "NEW TABLE AS new_rows OLD TABLE AS old_rows"
        )
        name = f"{table}_sac_facts_{event.lower()}"
        statements.append(
            f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}\n"
            f"    FOR EACH STATEMENT EXECUTE FUNCTION {table}_refresh_sac_facts();"
        )
    return "\n".join(statements)


REFRESH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION reporting_refresh_case_facts(ids bigint[]) RETURNS void AS $$
BEGIN
    IF coalesce(array_length(ids, 1), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM reporting_casefacts WHERE case_id = ANY(ids) ORDER BY case_id FOR UPDATE;
    DELETE FROM reporting_casefacts f
     WHERE f.case_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.id = f.case_id);
    {_upsert_sql("c.id = ANY(ids)", "r.case_id = ANY(ids)")};
END;
$$ LANGUAGE plpgsql;"""


def install_sql():
    """The functions and triggers (idempotent)."""
    parts = [REFRESH_FUNCTION]
    for table in _SOURCES:
        parts += [_trigger_function(table), _triggers(table)]
    return "\n".join(parts)


def uninstall_sql():
    parts = []
    for table in _SOURCES:
        parts += [f"DROP TRIGGER IF EXISTS {table}_sac_facts_{event.lower()} ON {table};" for event in _events(table)]
        parts.append(f"DROP FUNCTION IF EXISTS {table}_refresh_sac_facts();")
    parts.append("DROP FUNCTION IF EXISTS reporting_refresh_case_facts(bigint[]);")
    return "\n".join(parts)


def rebuild_sql():
    """Recompute every case's row (set-based: one pass over the records)."""
    return f"DELETE FROM reporting_casefacts; {_upsert_sql('TRUE', 'TRUE')};"


def refresh(case_ids):
    """Recompute the facts rows of `case_ids` now (after a bulk load), in chunks of 50,000."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    ids = sorted(set(case_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 50_000):
            cursor.execute("SELECT reporting_refresh_case_facts(%s::bigint[])", [ids[start : start + 50_000]])


def cases_loaded(sender, case_ids, **kwargs):
    """`cases.bulk.cases_loaded`: the load's triggers skipped their work; do it once."""
    refresh(case_ids)


def install(schema_editor):
    """Create (or re-create) the triggers and recompute every case's facts (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(install_sql(), params=None)
    schema_editor.execute(rebuild_sql(), params=None)


def uninstall(schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(uninstall_sql(), params=None)
