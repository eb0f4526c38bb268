-- A notice withdrawn and later issued again (issue 2, 3, …) is a new notice to the office: its acknowledgement is
-- per issue, so the reissued notice shows unacknowledged until the office acknowledges it again. Portable between
-- SQLite and PostgreSQL (a new table, the old rows copied as issue 1, the old table dropped).
CREATE TABLE notice_acks_by_issue (
    official_id  TEXT    NOT NULL,
    window_label TEXT    NOT NULL,
    ordinal      INTEGER NOT NULL,
    issue        INTEGER NOT NULL,
    acked_by     TEXT    NOT NULL,
    acked_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (official_id, window_label, ordinal, issue)
);
INSERT INTO notice_acks_by_issue (official_id, window_label, ordinal, issue, acked_by, acked_at_ms)
    SELECT official_id, window_label, ordinal, 1, acked_by, acked_at_ms FROM notice_acks;
DROP TABLE notice_acks;
ALTER TABLE notice_acks_by_issue RENAME TO notice_acks;
