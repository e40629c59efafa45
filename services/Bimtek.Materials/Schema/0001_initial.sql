-- Materials service: catalogue, versioned bills of materials, locations, the append-only stock
-- ledger with its derived balances (per location and per lot), kit plans and consumption records.
-- Times are BIGINT microseconds since the Unix epoch (UTC); quantities are BIGINT base units.

CREATE TABLE materials (
    material_id TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    base_unit   INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE products (
    product_id          TEXT PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    unit_name           TEXT NOT NULL,
    medical             INTEGER NOT NULL DEFAULT 0,
    current_bom_version INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL
);

-- Immutable once written: a new BOM is a new version; consumption rows name the version they used.
CREATE TABLE bom_versions (
    product_id TEXT NOT NULL REFERENCES products (product_id),
    version    INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, version)
);

CREATE TABLE bom_lines (
    product_id        TEXT NOT NULL,
    version           INTEGER NOT NULL,
    material_id       TEXT NOT NULL REFERENCES materials (material_id),
    quantity_per_unit BIGINT NOT NULL CHECK (quantity_per_unit > 0),
    waste_per_mille   INTEGER NOT NULL CHECK (waste_per_mille BETWEEN 0 AND 1000),
    PRIMARY KEY (product_id, version, material_id),
    FOREIGN KEY (product_id, version) REFERENCES bom_versions (product_id, version)
);

-- kind: 1 provincial warehouse, 2 district office, 3 trainee home (one per trainee: UNIQUE).
CREATE TABLE locations (
    location_id     TEXT PRIMARY KEY,
    kind            INTEGER NOT NULL,
    name            TEXT NOT NULL,
    district        TEXT NOT NULL DEFAULT '',
    trainee_id      TEXT UNIQUE,
    trainee_subject TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);

-- One lot per material per province receipt; FIFO order is (received_at, lot_id).
CREATE TABLE lots (
    lot_id                   TEXT PRIMARY KEY,
    lot_code                 TEXT NOT NULL,
    material_id              TEXT NOT NULL REFERENCES materials (material_id),
    receipt_movement_id      TEXT NOT NULL,
    supplier_document_number TEXT NOT NULL,
    received_quantity        BIGINT NOT NULL,
    received_at              BIGINT NOT NULL
);
CREATE INDEX lots_material ON lots (material_id, received_at);

-- The lock row of a (material, location): created at the first receipt or arrival and never
-- deleted, so concurrent first withdrawals always find a row to lock. quantity = sum of the
-- ledger for the pair = sum of its lot_balances.
CREATE TABLE balances (
    material_id TEXT NOT NULL REFERENCES materials (material_id),
    location_id TEXT NOT NULL REFERENCES locations (location_id),
    quantity    BIGINT NOT NULL CHECK (quantity >= 0),
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (material_id, location_id)
);
CREATE INDEX balances_location ON balances (location_id, material_id);

-- What of each lot is where; lot_id '' holds positive adjustments made without a lot.
CREATE TABLE lot_balances (
    material_id TEXT NOT NULL,
    location_id TEXT NOT NULL,
    lot_id      TEXT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (material_id, location_id, lot_id)
);
CREATE INDEX lot_balances_lot ON lot_balances (lot_id);

-- kind: 1 receipt, 2 transfer, 3 kit dispatch, 4 consumption, 5 return, 6 adjustment.
CREATE TABLE movements (
    movement_id              TEXT PRIMARY KEY,
    kind                     INTEGER NOT NULL,
    from_location_id         TEXT NOT NULL DEFAULT '',
    to_location_id           TEXT NOT NULL DEFAULT '',
    supplier_document_number TEXT NOT NULL DEFAULT '',
    programme_id             TEXT NOT NULL DEFAULT '',
    trainee_id               TEXT NOT NULL DEFAULT '',
    report_id                TEXT NOT NULL DEFAULT '',
    kit_plan_id              TEXT NOT NULL DEFAULT '',
    reason                   TEXT NOT NULL DEFAULT '',
    recorded_by              TEXT NOT NULL DEFAULT '',
    recorded_at              BIGINT NOT NULL
);

-- Append-only: rows are inserted, never updated or deleted. seq orders entries within a movement.
CREATE TABLE ledger_entries (
    entry_id       TEXT PRIMARY KEY,
    movement_id    TEXT NOT NULL REFERENCES movements (movement_id),
    seq            INTEGER NOT NULL,
    kind           INTEGER NOT NULL,
    location_id    TEXT NOT NULL,
    material_id    TEXT NOT NULL,
    lot_id         TEXT NOT NULL DEFAULT '',
    quantity_delta BIGINT NOT NULL,
    balance_after  BIGINT NOT NULL CHECK (balance_after >= 0),
    programme_id   TEXT NOT NULL DEFAULT '',
    trainee_id     TEXT NOT NULL DEFAULT '',
    report_id      TEXT NOT NULL DEFAULT '',
    recorded_at    BIGINT NOT NULL
);
CREATE INDEX ledger_entries_movement ON ledger_entries (movement_id, seq);
CREATE INDEX ledger_entries_location ON ledger_entries (location_id, material_id, recorded_at);
CREATE INDEX ledger_entries_material ON ledger_entries (material_id, recorded_at);
CREATE INDEX ledger_entries_lot ON ledger_entries (lot_id, recorded_at);
CREATE INDEX ledger_entries_programme ON ledger_entries (programme_id, trainee_id);
CREATE INDEX ledger_entries_recorded ON ledger_entries (recorded_at, entry_id);

CREATE TABLE kit_plans (
    kit_plan_id        TEXT PRIMARY KEY,
    programme_id       TEXT NOT NULL,
    product_id         TEXT NOT NULL REFERENCES products (product_id),
    bom_version        INTEGER NOT NULL,
    source_location_id TEXT NOT NULL REFERENCES locations (location_id),
    created_at         BIGINT NOT NULL
);

-- status: 1 planned, 2 dispatched.
CREATE TABLE kit_plan_kits (
    kit_plan_id      TEXT NOT NULL REFERENCES kit_plans (kit_plan_id),
    trainee_id       TEXT NOT NULL,
    position         INTEGER NOT NULL,
    quota            INTEGER NOT NULL,
    trainee_subject  TEXT NOT NULL DEFAULT '',
    status           INTEGER NOT NULL,
    home_location_id TEXT NOT NULL DEFAULT '',
    movement_id      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kit_plan_id, trainee_id)
);

CREATE TABLE kit_plan_lines (
    kit_plan_id TEXT NOT NULL,
    trainee_id  TEXT NOT NULL,
    material_id TEXT NOT NULL,
    quantity    BIGINT NOT NULL,
    PRIMARY KEY (kit_plan_id, trainee_id, material_id)
);

-- One row per output report ever consumed: the report id is the key that decides, so a report
-- is consumed at most once whatever request_id carries it.
CREATE TABLE consumption_reports (
    report_id    TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    trainee_id   TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    product_id   TEXT NOT NULL,
    bom_version  INTEGER NOT NULL,
    units        INTEGER NOT NULL,
    movement_id  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX consumption_reports_trainee ON consumption_reports (programme_id, trainee_id);
