-- Review, tallies and notices (issue 5). Portable between SQLite and PostgreSQL; the audit log, which cannot be,
-- is 0005_audit_log.sql.

-- The plate and what the registry said about it, written when the case is stored (CaseIntake) and when a reviewer
-- corrects the plate. plate_read: the OCR's normalised text (NULL: no read); plate_read_json: the plate step's
-- reads, opaque here; plate: the current plate (the read, or the reviewer's correction); match_kind: none, exact or
-- suggested; official_id: the exact match valid on the event's date, else NULL; match_json: the suggestions.
ALTER TABLE cases ADD COLUMN plate_read TEXT NULL;
ALTER TABLE cases ADD COLUMN plate_read_json TEXT NULL;
ALTER TABLE cases ADD COLUMN plate TEXT NULL;
ALTER TABLE cases ADD COLUMN match_kind TEXT NOT NULL DEFAULT 'none';
ALTER TABLE cases ADD COLUMN official_id TEXT NULL;
ALTER TABLE cases ADD COLUMN match_json TEXT NULL;
-- The last decision: status is candidate, confirmed or rejected.
ALTER TABLE cases ADD COLUMN decided_by TEXT NULL;
ALTER TABLE cases ADD COLUMN decided_at_ms BIGINT NULL;
ALTER TABLE cases ADD COLUMN reject_reason TEXT NULL;
ALTER TABLE cases ADD COLUMN reject_note TEXT NULL;
-- Set when retention deleted the evidence folder (unmatched cases only).
ALTER TABLE cases ADD COLUMN evidence_deleted_at_ms BIGINT NULL;
CREATE INDEX cases_official ON cases (official_id, status, event_at_ms);

-- Accountability notices: one per official, window and ordinal (3rd, 4th, …), by construction. case_id is the case
-- whose confirmation reached the ordinal, reached_at_ms its event time. Written with the decision and its outbox message.
CREATE TABLE notices (
    official_id   TEXT    NOT NULL,
    window_label  TEXT    NOT NULL,
    ordinal       INTEGER NOT NULL,
    case_id       TEXT    NOT NULL,
    reached_at_ms BIGINT  NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (official_id, window_label, ordinal)
);

-- One row every decision updates first: decisions take turns across processes (SQLite's writer lock, PostgreSQL's
-- row lock), so two reviewers confirming two cases of one official at once cannot both miss the notice.
CREATE TABLE review_turn (
    id        INTEGER NOT NULL PRIMARY KEY,
    decisions BIGINT  NOT NULL
);
INSERT INTO review_turn (id, decisions) VALUES (1, 0);
