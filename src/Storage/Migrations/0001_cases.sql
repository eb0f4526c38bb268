-- Violation candidates with their evidence package. Times are Unix milliseconds (BIGINT), the same in SQLite and
-- PostgreSQL. A row is written only after its evidence package is complete and in place.
CREATE TABLE cases (
    case_id            TEXT    NOT NULL PRIMARY KEY,
    site_id            TEXT    NOT NULL,
    camera_id          TEXT    NOT NULL,
    event_at_ms        BIGINT  NOT NULL,
    lane               TEXT    NOT NULL,
    approach           TEXT    NOT NULL,
    vehicle_track      INTEGER NOT NULL,
    status             TEXT    NOT NULL,
    evidence_folder    TEXT    NOT NULL,
    candidate_json     TEXT    NOT NULL,
    manifest_signature TEXT    NOT NULL,
    created_at_ms      BIGINT  NOT NULL
);
CREATE INDEX cases_event_at ON cases (event_at_ms);
CREATE INDEX cases_status ON cases (status, event_at_ms);
