-- A key per site (issue 12). Portable between SQLite and PostgreSQL.

-- The public keys the central site verifies each site's evidence with. key_id is the first 16 hex digits of the
-- SHA-256 of the key's SubjectPublicKeyInfo: one key belongs to one site only (a box's key registered for a second
-- site would let that box sign for both). public_key_pem is the public key alone, never private material.
-- retired_at_ms: set when the key was rotated out; it then vouches only for events before that moment.
CREATE TABLE site_keys (
    key_id         TEXT   NOT NULL PRIMARY KEY,
    site_id        TEXT   NOT NULL,
    public_key_pem TEXT   NOT NULL,
    added_at_ms    BIGINT NOT NULL,
    retired_at_ms  BIGINT NULL
);
CREATE INDEX site_keys_site ON site_keys (site_id, added_at_ms);
