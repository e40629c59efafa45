-- Offices (issue 16): the office a recipient agency belongs to, a district office or the province (its creator's
-- office, or a district its province names). Only that office's operators and integrators, and its province's, see
-- the recipient and hand over to it. Empty means the deployment's default office (Offices:Default): every recipient
-- from before offices.
ALTER TABLE recipients ADD COLUMN office TEXT NOT NULL DEFAULT '';

CREATE INDEX ix_recipients_office ON recipients (office, name, recipient_id);
