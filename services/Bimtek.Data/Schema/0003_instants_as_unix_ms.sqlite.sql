-- Issue 15: every instant column holds BIGINT Unix milliseconds (UTC). idempotency_keys.created_at was ISO-8601 text
-- from strftime('%Y-%m-%dT%H:%M:%fZ'), one fixed shape, so each value converts exactly: whole seconds (the first 19
-- characters) × 1000 + the three fraction digits. SQLite cannot change a column's type: the table is rebuilt with the
-- same columns, key and index; its default is the database's now in milliseconds, as the text default was its now.

CREATE TABLE idempotency_keys_new (
    request_id   TEXT PRIMARY KEY,
    operation    TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     BLOB,
    created_at   BIGINT NOT NULL DEFAULT (CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER))
);
INSERT INTO idempotency_keys_new (request_id, operation, request_hash, response, created_at)
SELECT request_id, operation, request_hash, response,
    CAST(strftime('%s', substr(created_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER)
FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
