-- Contacts follow people (issue 18): the version of the sender's (participants') last change kept in a contact. A
-- change with a lower version changes nothing (Data/ContactStore.ApplySourcedAsync). Numbered 0009 to leave room for the
-- notifications scripts written in parallel on other branches.
ALTER TABLE contacts ADD COLUMN source_version BIGINT NOT NULL DEFAULT 0;
