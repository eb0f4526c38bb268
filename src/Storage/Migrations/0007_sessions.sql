-- Server-side console sessions (issue 12). Portable between SQLite and PostgreSQL.

-- One row per signed-in session. The cookie carries a random id; the table keeps only its SHA-256 (hex), so a copy of
-- the database names no usable session. A request is let in only while its row is here, its account is enabled
-- with the same role, and created_at_ms is within web.sessionAbsoluteHours. Signing out deletes the row; a password,
-- role or disable change deletes every row of the account, in the change's own transaction.
CREATE TABLE sessions (
    id_hash       TEXT   NOT NULL PRIMARY KEY,
    username      TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE INDEX sessions_by_username ON sessions (username);
