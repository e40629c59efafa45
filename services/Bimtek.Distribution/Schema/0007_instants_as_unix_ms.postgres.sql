-- Issue 15: every instant column holds BIGINT Unix milliseconds (UTC), as in the other services. Until now distribution
-- kept ISO-8601 text written in one fixed shape, yyyy-MM-ddTHH:mm:ss.fffffffZ, so each value converts exactly: its whole
-- seconds (the first 19 characters) × 1000 + its first three fraction digits (finer digits are dropped, as the code's
-- Instants.ToUnixMs drops them), the same arithmetic as the SQLite twin. ALTER COLUMN keeps constraints and rebuilds
-- the indexes on the converted columns (ix_handovers_created).

ALTER TABLE recipients
    ALTER COLUMN created_at TYPE BIGINT USING extract(epoch FROM (substr(created_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(created_at, 21, 3)::bigint;

ALTER TABLE goods_receipts
    ALTER COLUMN accepted_at TYPE BIGINT USING extract(epoch FROM (substr(accepted_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(accepted_at, 21, 3)::bigint,
    ALTER COLUMN received_at TYPE BIGINT USING extract(epoch FROM (substr(received_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(received_at, 21, 3)::bigint;

ALTER TABLE finished_goods
    ALTER COLUMN updated_at TYPE BIGINT USING extract(epoch FROM (substr(updated_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(updated_at, 21, 3)::bigint;

ALTER TABLE handovers
    ALTER COLUMN created_at TYPE BIGINT USING extract(epoch FROM (substr(created_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(created_at, 21, 3)::bigint,
    ALTER COLUMN confirmed_at TYPE BIGINT USING extract(epoch FROM (substr(confirmed_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(confirmed_at, 21, 3)::bigint,
    ALTER COLUMN cancelled_at TYPE BIGINT USING extract(epoch FROM (substr(cancelled_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(cancelled_at, 21, 3)::bigint;

ALTER TABLE onward_deliveries
    ALTER COLUMN created_at TYPE BIGINT USING extract(epoch FROM (substr(created_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(created_at, 21, 3)::bigint;

ALTER TABLE programme_names
    ALTER COLUMN learned_at TYPE BIGINT USING extract(epoch FROM (substr(learned_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(learned_at, 21, 3)::bigint;

ALTER TABLE product_names
    ALTER COLUMN learned_at TYPE BIGINT USING extract(epoch FROM (substr(learned_at, 1, 19) || 'Z')::timestamptz)::bigint * 1000 + substr(learned_at, 21, 3)::bigint;
