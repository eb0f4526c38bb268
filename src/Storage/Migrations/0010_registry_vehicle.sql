-- Cloned plates (issue 12): a registry row may describe its vehicle, checked against the evidence's detected class and
-- measured body colour. Each is NULL (kind, colour) or empty (make) when the registry does not say.
ALTER TABLE registered_vehicles ADD COLUMN vehicle_kind TEXT;
ALTER TABLE registered_vehicles ADD COLUMN body_colour TEXT;
ALTER TABLE registered_vehicles ADD COLUMN make TEXT NOT NULL DEFAULT '';
