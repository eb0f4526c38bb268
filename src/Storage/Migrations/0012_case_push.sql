-- The push of each confirmed case to the traffic-management platform's HTTP endpoint (push.url). One row per
-- confirmation: push_key is CASE/DECIDED_AT_MS, the idempotency key the receiver sees, so a case reopened and
-- confirmed again is pushed again under a new key. A row is delivered (2xx or 409 answered), waiting for its next
-- attempt, or dead (refused for good, or out of attempts) until an operator retries it. Portable between SQLite and PostgreSQL.
CREATE TABLE case_push (
    push_key        TEXT    NOT NULL PRIMARY KEY,
    case_id         TEXT    NOT NULL,
    decided_at_ms   BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL,
    next_at_ms      BIGINT  NOT NULL,
    last_error      TEXT    NULL,
    delivered_at_ms BIGINT  NULL,
    dead_at_ms      BIGINT  NULL
);
CREATE INDEX case_push_case ON case_push (case_id, decided_at_ms);
