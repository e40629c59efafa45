-- Issue 15: every instant column holds BIGINT Unix milliseconds (UTC). idempotency_keys.created_at was TIMESTAMPTZ:
-- converted in place (its index is rebuilt with it; the table is rewritten once, under its lock, at this start), the
-- microseconds below a millisecond dropped; its default is the transaction's now in milliseconds, as it was now().

ALTER TABLE idempotency_keys
    ALTER COLUMN created_at DROP DEFAULT,
    ALTER COLUMN created_at TYPE BIGINT USING floor(extract(epoch FROM created_at) * 1000)::bigint,
    ALTER COLUMN created_at SET DEFAULT floor(extract(epoch FROM now()) * 1000)::bigint;
