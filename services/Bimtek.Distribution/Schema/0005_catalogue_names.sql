-- Official documents read right (issue 21): a handover keeps the programme's code beside its title, and
-- distribution keeps the names it learned from participants (programme code and title) and materials (product
-- name), so reports name programmes and goods without asking again. Handovers made before this have an empty
-- code; their documents print the title (or the programme id) as before.
ALTER TABLE handovers ADD COLUMN programme_code TEXT NOT NULL DEFAULT '';

CREATE TABLE programme_names (
    programme_id TEXT PRIMARY KEY,
    code         TEXT NOT NULL,
    title        TEXT NOT NULL,
    learned_at   TEXT NOT NULL
);

CREATE TABLE product_names (
    product_code TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    learned_at   TEXT NOT NULL
);
