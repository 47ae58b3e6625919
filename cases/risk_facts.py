"""Database triggers that copy a case's received date, team, restriction and state onto each
of its risks (`Risk.case_received_at`, `case_team`, `case_restricted`, `case_state`).

The provider pattern page counts, per provider and month, the cases in a period with how
many are still open or in an enquiry, within the user's scope. With these copies it reads one
covering index of the risks naming a provider (`risk_provider_period`) instead of joining the
period's cases (at a million cases, 350 ms became about 60 ms). The triggers keep the copies
true whatever writes the rows: the ORM, a queryset `update()`, COPY in the demo generator,
raw SQL. A risk's copies are (re)read from its case on every insert and update of the risk;
a case's are pushed to its risks when it is inserted (a deferred foreign key lets a risk come
first) and when one of the four changes.

On SQLite, a migration that rebuilds `cases_risk` or `cases_case` drops their triggers: such a
migration must call `install(schema_editor)` again.
"""

FACTS = (("case_received_at", "received_at"), ("case_team_id", "team_id"), ("case_restricted", "restricted"),
         ("case_state", "state"))  # fmt: skip

PG_INSTALL = """
CREATE OR REPLACE FUNCTION cases_risk_read_case_facts() RETURNS trigger AS $$
BEGIN
    SELECT c.received_at, c.team_id, c.restricted, c.state
      INTO NEW.case_received_at, NEW.case_team_id, NEW.case_restricted, NEW.case_state
      FROM cases_case c WHERE c.id = NEW.case_id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_risk_case_facts ON cases_risk;
CREATE TRIGGER cases_risk_case_facts BEFORE INSERT OR UPDATE ON cases_risk
    FOR EACH ROW EXECUTE FUNCTION cases_risk_read_case_facts();

CREATE OR REPLACE FUNCTION cases_case_push_facts() RETURNS trigger AS $$
BEGIN
    UPDATE cases_risk SET case_received_at = NEW.received_at, case_team_id = NEW.team_id,
           case_restricted = NEW.restricted, case_state = NEW.state
     WHERE case_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_case_facts_insert ON cases_case;
CREATE TRIGGER cases_case_facts_insert AFTER INSERT ON cases_case
    FOR EACH ROW EXECUTE FUNCTION cases_case_push_facts();
DROP TRIGGER IF EXISTS cases_case_facts_update ON cases_case;
CREATE TRIGGER cases_case_facts_update AFTER UPDATE OF received_at, team_id, restricted, state ON cases_case
    FOR EACH ROW WHEN (OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.team_id IS DISTINCT FROM NEW.team_id
                       OR OLD.restricted IS DISTINCT FROM NEW.restricted OR OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION cases_case_push_facts();
"""
PG_BACKFILL = """
UPDATE cases_risk r SET case_received_at = c.received_at, case_team_id = c.team_id,
       case_restricted = c.restricted, case_state = c.state
  FROM cases_case c WHERE c.id = r.case_id;
"""
PG_UNINSTALL = """
DROP TRIGGER IF EXISTS cases_risk_case_facts ON cases_risk;
DROP TRIGGER IF EXISTS cases_case_facts_insert ON cases_case;
DROP TRIGGER IF EXISTS cases_case_facts_update ON cases_case;
DROP FUNCTION IF EXISTS cases_risk_read_case_facts();
DROP FUNCTION IF EXISTS cases_case_push_facts();
"""


def _sqlite_read(where):
    sets = ", ".join(
        f"{mine} = (SELECT {theirs} FROM cases_case WHERE id = NEW.case_id)"  # noqa: S608 - fixed names only
        for mine, theirs in FACTS
    )
    return f"UPDATE cases_risk SET {sets} WHERE {where};"  # noqa: S608 - fixed names only


def _sqlite_push():
    sets = ", ".join(f"{mine} = NEW.{theirs}" for mine, theirs in FACTS)
    return f"UPDATE cases_risk SET {sets} WHERE case_id = NEW.id;"  # noqa: S608 - fixed names only


SQLITE_TRIGGERS = {
    # SQLite's BEFORE triggers cannot change NEW: the row is updated after (not recursively).
    "cases_risk_case_facts_insert": f"AFTER INSERT ON cases_risk BEGIN {_sqlite_read('id = NEW.id')} END",
    "cases_risk_case_facts_update": (
        "AFTER UPDATE OF case_id, case_received_at, case_team_id, case_restricted, case_state ON cases_risk "
        f"BEGIN {_sqlite_read('id = NEW.id')} END"
    ),
    "cases_case_facts_insert": f"AFTER INSERT ON cases_case BEGIN {_sqlite_push()} END",
    "cases_case_facts_update": (
        f"AFTER UPDATE OF received_at, team_id, restricted, state ON cases_case BEGIN {_sqlite_push()} END"
    ),
}


def install(schema_editor):
    """Create (or re-create) the triggers and bring every risk's copies up to date."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKFILL)
        schema_editor.execute(PG_INSTALL, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(_sqlite_read("1 = 1").replace("NEW.case_id", "cases_risk.case_id"))
        for name, body in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UNINSTALL, params=None)
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
