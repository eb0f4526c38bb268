-- The web console (issue 6). Portable between SQLite and PostgreSQL.

-- Who may sign in, with which role (police, office, operator, admin). password_hash is the slow hash's own string
-- (algorithm, iterations, salt, hash); failed_sign_ins counts failures since the last success; locked_until_ms is set
-- when they reach the limit; disabled is 0 or 1.
CREATE TABLE accounts (
    username        TEXT    NOT NULL PRIMARY KEY,
    role            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until_ms BIGINT  NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at_ms   BIGINT  NOT NULL,
    changed_at_ms   BIGINT  NOT NULL
);

-- The campaign office's acknowledgement of a notice: at most one per notice.
CREATE TABLE notice_acks (
    official_id  TEXT    NOT NULL,
    window_label TEXT    NOT NULL,
    ordinal      INTEGER NOT NULL,
    acked_by     TEXT    NOT NULL,
    acked_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (official_id, window_label, ordinal)
);

-- Changes made through the console go into audit_log too; its case_id column then holds the subject of the change
-- (account:NAME, scene:CAMERA, notice:OFFICIAL/WINDOW/ORDINAL, rule:CAMERA).
