-- Fair to the accused (issue 12). Portable between SQLite and PostgreSQL.

-- The reviewers who confirmed the case's current plate (JSON: actor, at, plate, note), oldest first: a case that names
-- an official is confirmed only when review.officialConfirmations different reviewers are here. NULL on a case
-- confirmed before this migration: its one reviewer (decided_by) is its confirmation.
ALTER TABLE cases ADD COLUMN confirmations_json TEXT NULL;
-- Why the case was last reopened (an official's objection), if it was.
ALTER TABLE cases ADD COLUMN reopen_reason TEXT NULL;

-- A package backs one case only: intake looks a package up by its folder and its signature.
CREATE INDEX cases_evidence_folder ON cases (evidence_folder);
CREATE INDEX cases_manifest_signature ON cases (manifest_signature);

-- A notice whose count fell below its ordinal (a case rejected, reopened, corrected away, or its vehicle removed from
-- the registry) is withdrawn, once, with the reason; reached again later, it is issued again (issue 2, 3, …).
ALTER TABLE notices ADD COLUMN issue INTEGER NOT NULL DEFAULT 1;
ALTER TABLE notices ADD COLUMN withdrawn_at_ms BIGINT NULL;
ALTER TABLE notices ADD COLUMN withdrawn_reason TEXT NULL;
