-- Distribution: recipients, finished goods, handovers with their document numbers, onward deliveries.
-- Quantities are BIGINT units; instants are ISO-8601 UTC text; calendar days are ISO YYYY-MM-DD text.

CREATE TABLE recipients (
    recipient_id   TEXT PRIMARY KEY,
    kind           INTEGER NOT NULL,
    name           TEXT NOT NULL,
    district       TEXT NOT NULL,
    contact_person TEXT NOT NULL,
    phone          TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX ix_recipients_name ON recipients (name, recipient_id);

-- Identity subjects (role recipient) who may act for a recipient.
CREATE TABLE recipient_users (
    recipient_id TEXT NOT NULL REFERENCES recipients (recipient_id),
    subject      TEXT NOT NULL,
    PRIMARY KEY (recipient_id, subject)
);
CREATE INDEX ix_recipient_users_subject ON recipient_users (subject);

-- One row per accepted-goods effect from production (request_id = production's outbox message id).
CREATE TABLE goods_receipts (
    receipt_id    TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    programme_id  TEXT NOT NULL,
    trainee_id    TEXT NOT NULL,
    product_code  TEXT NOT NULL,
    units         BIGINT NOT NULL CHECK (units > 0),
    accepted_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL
);
CREATE INDEX ix_goods_receipts_programme ON goods_receipts (programme_id, product_code);

-- Running balance per (programme, product); handovers take units with a guarded UPDATE.
CREATE TABLE finished_goods (
    programme_id      TEXT NOT NULL,
    product_code      TEXT NOT NULL,
    received_units    BIGINT NOT NULL,
    handed_over_units BIGINT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (programme_id, product_code),
    CHECK (handed_over_units >= 0 AND handed_over_units <= received_units)
);

-- Last document number issued per office and year; incremented inside the handover transaction,
-- so a number is never skipped (a failed handover rolls its increment back) nor reused.
CREATE TABLE document_counters (
    office_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (office_code, year)
);

CREATE TABLE handovers (
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
    created_at          TEXT NOT NULL,
    confirmed_at        TEXT NULL,
    cancelled_at        TEXT NULL,
    UNIQUE (office_code, document_year, document_sequence),
    CHECK (delivered_units >= 0 AND delivered_units <= units)
);
CREATE INDEX ix_handovers_created ON handovers (created_at, handover_id);
CREATE INDEX ix_handovers_recipient ON handovers (recipient_id, programme_id, product_code);
CREATE INDEX ix_handovers_programme ON handovers (programme_id, product_code);

-- What a recipient holds per programme and product: received in handovers not cancelled, and
-- passed on. Onward deliveries take from it with a guarded UPDATE.
CREATE TABLE recipient_holdings (
    recipient_id    TEXT NOT NULL REFERENCES recipients (recipient_id),
    programme_id    TEXT NOT NULL,
    product_code    TEXT NOT NULL,
    received_units  BIGINT NOT NULL,
    delivered_units BIGINT NOT NULL,
    households      BIGINT NOT NULL,
    handover_count  BIGINT NOT NULL,
    PRIMARY KEY (recipient_id, programme_id, product_code),
    CHECK (delivered_units >= 0 AND delivered_units <= received_units)
);

CREATE TABLE onward_deliveries (
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
    created_at         TEXT NOT NULL
);
CREATE INDEX ix_onward_deliveries_recipient ON onward_deliveries (recipient_id, day);
CREATE INDEX ix_onward_deliveries_programme ON onward_deliveries (programme_id, product_code);
