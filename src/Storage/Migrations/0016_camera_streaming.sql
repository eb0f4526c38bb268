-- Hours streaming (issue 16): how long each camera streamed per day of the site's time zone (site.timeZone), added
-- by the edge box about every minute and on stop. through_ms: the end of the last interval counted for that day, so
-- an interval (or the part of one) counted already is never counted again: a retried write, a restart. Portable.
CREATE TABLE camera_streaming (
    site_id     TEXT   NOT NULL,
    camera_id   TEXT   NOT NULL,
    day         TEXT   NOT NULL,
    streamed_ms BIGINT NOT NULL,
    through_ms  BIGINT NOT NULL,
    PRIMARY KEY (site_id, camera_id, day)
);
