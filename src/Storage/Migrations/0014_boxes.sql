-- Every box of the city at the central site (issue 16). Portable between SQLite and PostgreSQL.
-- box_health: the last health message of each box (camera_id '') and each of its cameras, as received.
CREATE TABLE box_health (
    site_id        TEXT   NOT NULL,
    camera_id      TEXT   NOT NULL,
    state          TEXT   NOT NULL,
    received_at_ms BIGINT NOT NULL,
    payload        TEXT   NOT NULL,
    PRIMARY KEY (site_id, camera_id)
);
-- box_events: the history: a camera's or the box's state changing, a box falling silent (since_ms: the last time it
-- was heard, one row per silence however many consumers see it) and heard again.
CREATE TABLE box_events (
    site_id   TEXT   NOT NULL,
    camera_id TEXT   NOT NULL,
    kind      TEXT   NOT NULL,
    state     TEXT   NOT NULL,
    at_ms     BIGINT NOT NULL,
    since_ms  BIGINT NOT NULL,
    PRIMARY KEY (site_id, camera_id, kind, since_ms)
);
CREATE INDEX box_events_at ON box_events (at_ms);
