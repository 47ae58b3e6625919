-- Privileges of the application's database role (README "Database roles").
--
-- Run as the OWNER role (the one `migrate` runs as), after each `migrate`:
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -v app_role=msp_app -f msp/deploy/app-role.sql
-- The application role owns nothing, so it cannot ALTER a table, disable a trigger or drop
-- one; it is not a superuser, so it cannot set session_replication_role either. On the audit
-- log it may only read and append: no UPDATE, DELETE or TRUNCATE.
-- accounts/tests/test_audit_tamper.py applies this file to a role of its own and runs the
-- attacks as that role.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
-- Tables and sequences later migrations create get the same (the owner runs those migrations).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";

-- The audit log: read and append only.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON accounts_auditevent FROM :"app_role";
GRANT SELECT, INSERT ON accounts_auditevent TO :"app_role";
