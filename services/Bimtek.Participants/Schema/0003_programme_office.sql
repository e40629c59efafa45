-- Offices (issue 16): the office a programme belongs to, a district office or the province. Empty means the
-- deployment's default office (Offices:Default): every programme created before offices existed is the default
-- office's, and stays so whatever the default is later set to only if it is stamped; it is not, so changing
-- Offices:Default moves those programmes with it (set it once, when the deployment starts).
ALTER TABLE programmes ADD COLUMN office TEXT NOT NULL DEFAULT '';

CREATE INDEX programmes_office ON programmes (office, start_day, programme_id);
