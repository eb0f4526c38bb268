-- Store-and-forward and the consumer's parking place (issue 5). Portable between SQLite and PostgreSQL.
-- outbox: messages written in the same transaction as the case they describe; sent_at_ms set once the broker
-- acknowledged them (the edge's publisher reads the unsent ones oldest first).
CREATE TABLE outbox (
    seq         INTEGER NOT NULL PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    topic       TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at_ms BIGINT NOT NULL,
    sent_at_ms  BIGINT  NULL
);
CREATE INDEX outbox_pending ON outbox (sent_at_ms, seq);

-- parked_messages: what a consumer received but could not read (malformed, foreign, wrong version), with the reason.
CREATE TABLE parked_messages (
    id             INTEGER NOT NULL PRIMARY KEY,
    topic          TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    received_at_ms BIGINT  NOT NULL
);
