-- Issue 15: every instant column holds BIGINT Unix milliseconds (UTC), as in the other services. Until now distribution
-- kept ISO-8601 text written in one fixed shape, yyyy-MM-ddTHH:mm:ss.fffffffZ, so each value converts exactly: its whole
-- seconds (the first 19 characters) × 1000 + its first three fraction digits (finer digits are dropped, as the code's
-- Instants.ToUnixMs drops them). SQLite cannot change a column's type: each table is rebuilt under its own name with the
-- same columns, constraints and indexes. recipients is the parent of four foreign keys and cannot be dropped inside the
-- migration's transaction, so its column is swapped in place (added, filled, the old one dropped, renamed): the swapped
-- column carries DEFAULT 0 because SQLite adds a NOT NULL column only with a default; every insert names it.

ALTER TABLE recipients ADD COLUMN created_at_ms BIGINT NOT NULL DEFAULT 0;
UPDATE recipients SET created_at_ms = CAST(strftime('%s', substr(created_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER);
ALTER TABLE recipients DROP COLUMN created_at;
ALTER TABLE recipients RENAME COLUMN created_at_ms TO created_at;

CREATE TABLE goods_receipts_new (
    receipt_id    TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    programme_id  TEXT NOT NULL,
    trainee_id    TEXT NOT NULL,
    product_code  TEXT NOT NULL,
    units         BIGINT NOT NULL CHECK (units > 0),
    accepted_at   BIGINT NOT NULL,
    received_at   BIGINT NOT NULL
);
INSERT INTO goods_receipts_new (receipt_id, inspection_id, programme_id, trainee_id, product_code, units, accepted_at, received_at)
SELECT receipt_id, inspection_id, programme_id, trainee_id, product_code, units,
       CAST(strftime('%s', substr(accepted_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(accepted_at, 21, 3) AS INTEGER),
       CAST(strftime('%s', substr(received_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(received_at, 21, 3) AS INTEGER)
FROM goods_receipts;
DROP TABLE goods_receipts;
ALTER TABLE goods_receipts_new RENAME TO goods_receipts;
CREATE INDEX ix_goods_receipts_programme ON goods_receipts (programme_id, product_code);

CREATE TABLE finished_goods_new (
    programme_id      TEXT NOT NULL,
    product_code      TEXT NOT NULL,
    received_units    BIGINT NOT NULL,
    handed_over_units BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (programme_id, product_code),
    CHECK (handed_over_units >= 0 AND handed_over_units <= received_units)
);
INSERT INTO finished_goods_new (programme_id, product_code, received_units, handed_over_units, updated_at)
SELECT programme_id, product_code, received_units, handed_over_units,
       CAST(strftime('%s', substr(updated_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(updated_at, 21, 3) AS INTEGER)
FROM finished_goods;
DROP TABLE finished_goods;
ALTER TABLE finished_goods_new RENAME TO finished_goods;

CREATE TABLE handovers_new (
    handover_id         TEXT PRIMARY KEY,
    document_number     TEXT NOT NULL UNIQUE,
    office_code         TEXT NOT NULL,
    document_year       INTEGER NOT NULL,
    document_sequence   BIGINT NOT NULL,
    programme_id        TEXT NOT NULL,
    programme_title     TEXT NOT NULL,
    product_code        TEXT NOT NULL,
    product_name        TEXT NOT NULL,
    units               BIGINT NOT NULL CHECK (units > 0),
    delivered_units     BIGINT NOT NULL DEFAULT 0,
    recipient_id        TEXT NOT NULL REFERENCES recipients (recipient_id),
    recipient_name      TEXT NOT NULL,
    day                 TEXT NOT NULL,
    place               TEXT NOT NULL,
    giver_name          TEXT NOT NULL,
    giver_position      TEXT NOT NULL,
    receiver_name       TEXT NOT NULL,
    receiver_position   TEXT NOT NULL,
    note                TEXT NOT NULL,
    status              INTEGER NOT NULL,
    cancellation_reason TEXT NOT NULL DEFAULT '',
    created_by          TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    confirmed_at        BIGINT NULL,
    cancelled_at        BIGINT NULL,
    programme_code      TEXT NOT NULL DEFAULT '',
    UNIQUE (office_code, document_year, document_sequence),
    CHECK (delivered_units >= 0 AND delivered_units <= units)
);
INSERT INTO handovers_new (handover_id, document_number, office_code, document_year, document_sequence, programme_id, programme_title,
    product_code, product_name, units, delivered_units, recipient_id, recipient_name, day, place, giver_name, giver_position,
    receiver_name, receiver_position, note, status, cancellation_reason, created_by, created_at, confirmed_at, cancelled_at, programme_code)
SELECT handover_id, document_number, office_code, document_year, document_sequence, programme_id, programme_title,
    product_code, product_name, units, delivered_units, recipient_id, recipient_name, day, place, giver_name, giver_position,
    receiver_name, receiver_position, note, status, cancellation_reason, created_by,
    CAST(strftime('%s', substr(created_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER),
    CAST(strftime('%s', substr(confirmed_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(confirmed_at, 21, 3) AS INTEGER),
    CAST(strftime('%s', substr(cancelled_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(cancelled_at, 21, 3) AS INTEGER),
    programme_code
FROM handovers;
DROP TABLE handovers;
ALTER TABLE handovers_new RENAME TO handovers;
CREATE INDEX ix_handovers_created ON handovers (created_at, handover_id);
CREATE INDEX ix_handovers_recipient ON handovers (recipient_id, programme_id, product_code);
CREATE INDEX ix_handovers_programme ON handovers (programme_id, product_code);

CREATE TABLE onward_deliveries_new (
    onward_delivery_id TEXT PRIMARY KEY,
    recipient_id       TEXT NOT NULL REFERENCES recipients (recipient_id),
    handover_id        TEXT NOT NULL,
    programme_id       TEXT NOT NULL,
    product_code       TEXT NOT NULL,
    place              TEXT NOT NULL,
    day                TEXT NOT NULL,
    units              BIGINT NOT NULL CHECK (units > 0),
    households         BIGINT NOT NULL,
    note               TEXT NOT NULL,
    recorded_by        TEXT NOT NULL,
    created_at         BIGINT NOT NULL
);
INSERT INTO onward_deliveries_new (onward_delivery_id, recipient_id, handover_id, programme_id, product_code, place, day, units,
    households, note, recorded_by, created_at)
SELECT onward_delivery_id, recipient_id, handover_id, programme_id, product_code, place, day, units, households, note, recorded_by,
    CAST(strftime('%s', substr(created_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER)
FROM onward_deliveries;
DROP TABLE onward_deliveries;
ALTER TABLE onward_deliveries_new RENAME TO onward_deliveries;
CREATE INDEX ix_onward_deliveries_recipient ON onward_deliveries (recipient_id, day);
CREATE INDEX ix_onward_deliveries_programme ON onward_deliveries (programme_id, product_code);

CREATE TABLE programme_names_new (
    programme_id TEXT PRIMARY KEY,
    code         TEXT NOT NULL,
    title        TEXT NOT NULL,
    learned_at   BIGINT NOT NULL
);
INSERT INTO programme_names_new (programme_id, code, title, learned_at)
SELECT programme_id, code, title,
    CAST(strftime('%s', substr(learned_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(learned_at, 21, 3) AS INTEGER)
FROM programme_names;
DROP TABLE programme_names;
ALTER TABLE programme_names_new RENAME TO programme_names;

CREATE TABLE product_names_new (
    product_code TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    learned_at   BIGINT NOT NULL
);
INSERT INTO product_names_new (product_code, name, learned_at)
SELECT product_code, name,
    CAST(strftime('%s', substr(learned_at, 1, 19)) AS INTEGER) * 1000 + CAST(substr(learned_at, 21, 3) AS INTEGER)
FROM product_names;
DROP TABLE product_names;
ALTER TABLE product_names_new RENAME TO product_names;
