-- Offices (issue 16): the office a location belongs to, a district office or the province. A warehouse or office
-- location is its creator's office (or a district its province names); a trainee home is the office of the programme
-- whose kit first reached it. Empty means the deployment's default office (Offices:Default): every location from
-- before offices, the reference data's among them. Balances, lots and ledger entries are scoped by their locations.
ALTER TABLE locations ADD COLUMN office TEXT NOT NULL DEFAULT '';

CREATE INDEX locations_office ON locations (office, kind, name, location_id);
