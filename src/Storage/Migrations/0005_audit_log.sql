-- The audit log of review decisions (issue 5). SQLite's form; 0005_audit_log.postgres.sql is PostgreSQL's (an
-- identity column for the id, a PL/pgSQL trigger instead of SQLite's RAISE).
-- Every decision, append-only: no statement in the code updates or deletes a row, and the trigger refuses it.
CREATE TABLE audit_log (
    id          INTEGER NOT NULL PRIMARY KEY,
    at_ms       BIGINT  NOT NULL,
    actor       TEXT    NOT NULL,
    case_id     TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    before_json TEXT    NOT NULL,
    after_json  TEXT    NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
