-- How people are reached (issue 18): e-mail, the language of their messages, the guardian's phone of a trainee, and a
-- version that grows with every change of these, so the notifications service keeps the newest whatever order the
-- outbox delivers them in.
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN language INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN guardian_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN contact_version INTEGER NOT NULL DEFAULT 1;
