-- The officials' registry (issue 4): replaced as a whole by each import, in one transaction. Dates are ISO text
-- (yyyy-MM-dd, sorts as it reads), times Unix milliseconds (BIGINT), the same in SQLite and PostgreSQL.
CREATE TABLE officials (
    official_id TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    department  TEXT NOT NULL,
    authority   TEXT NOT NULL,
    notes       TEXT NOT NULL
);

-- One row per period a plate belongs to an official; valid_from and valid_to inclusive, valid_to NULL when open.
-- Periods of the same plate never overlap (checked on import), so (plate, valid_from) identifies a row.
CREATE TABLE registered_vehicles (
    plate       TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    official_id TEXT NOT NULL REFERENCES officials (official_id),
    colour      TEXT NOT NULL,
    relation    TEXT NOT NULL,
    PRIMARY KEY (plate, valid_from)
);
CREATE INDEX registered_vehicles_official ON registered_vehicles (official_id);

-- Every import that changed the registry: what file, and what it changed.
CREATE TABLE registry_imports (
    import_id         BIGINT NOT NULL PRIMARY KEY,
    imported_at_ms    BIGINT NOT NULL,
    file_name         TEXT   NOT NULL,
    sha256            TEXT   NOT NULL,
    encoding          TEXT   NOT NULL,
    officials         INTEGER NOT NULL,
    vehicles          INTEGER NOT NULL,
    officials_added   INTEGER NOT NULL,
    officials_changed INTEGER NOT NULL,
    officials_removed INTEGER NOT NULL,
    vehicles_added    INTEGER NOT NULL,
    vehicles_changed  INTEGER NOT NULL,
    vehicles_removed  INTEGER NOT NULL
);
