-- Production: output reports, inspections (with a health expert's sign-off for medical products),
-- rework orders and defect checklists. Days are ISO YYYY-MM-DD in the programme's time zone;
-- instants are Unix milliseconds (UTC).

-- One row per output report. request_id is unique: the same ReportOutput again finds its report.
-- A report is 'pending' until materials confirmed the consumption, then 'recorded' (counts) or
-- 'rejected' (shortage; counts nowhere). lease_until guards the single in-flight attempt to
-- finish a pending report; next_attempt_at is the reconciler's back-off.
CREATE TABLE output_reports (
    report_id          TEXT PRIMARY KEY,
    request_id         TEXT NOT NULL UNIQUE,
    request_hash       TEXT NOT NULL,
    programme_id       TEXT NOT NULL,
    trainee_id         TEXT NOT NULL,
    product_code       TEXT NOT NULL,
    product_id         TEXT NOT NULL,
    medical            INTEGER NOT NULL,
    time_zone          TEXT NOT NULL,
    day                TEXT NOT NULL,
    units              INTEGER NOT NULL,
    note               TEXT NOT NULL,
    photo_url          TEXT NOT NULL,
    rework_order_id    TEXT NOT NULL,
    status             TEXT NOT NULL,
    rejection_reason   TEXT NOT NULL DEFAULT '',
    rejection_details  TEXT NOT NULL DEFAULT '',
    inspected_units    INTEGER NOT NULL DEFAULT 0,
    reported_by        TEXT NOT NULL,
    reported_at        BIGINT NOT NULL,
    settled_at         BIGINT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    lease_until        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at    BIGINT NOT NULL DEFAULT 0,
    CHECK (inspected_units >= 0 AND inspected_units <= units)
);

CREATE INDEX output_reports_programme ON output_reports (programme_id, reported_at);
CREATE INDEX output_reports_trainee ON output_reports (trainee_id, programme_id, day);
CREATE INDEX output_reports_pending ON output_reports (next_attempt_at) WHERE status = 'pending';

-- One inspection of a trainee's units; accepted_units are final (counted and sent on),
-- awaiting_sign_off_units wait for a health expert (medical products inspected by an instructor).
CREATE TABLE inspections (
    inspection_id           TEXT PRIMARY KEY,
    programme_id            TEXT NOT NULL,
    trainee_id              TEXT NOT NULL,
    product_code            TEXT NOT NULL,
    medical                 INTEGER NOT NULL,
    time_zone               TEXT NOT NULL,
    inspected_units         INTEGER NOT NULL,
    passed_units            INTEGER NOT NULL,
    rejected_units          INTEGER NOT NULL,
    inspector_id            TEXT NOT NULL,
    inspector_role          INTEGER NOT NULL,
    status                  INTEGER NOT NULL,
    accepted_units          INTEGER NOT NULL,
    awaiting_sign_off_units INTEGER NOT NULL,
    sent_back_units         INTEGER NOT NULL DEFAULT 0,
    note                    TEXT NOT NULL,
    inspected_at            BIGINT NOT NULL,
    sign_off_expert_id      TEXT,
    sign_off_accepted       INTEGER,
    sign_off_rejected       INTEGER,
    sign_off_note           TEXT,
    signed_off_at           BIGINT,
    CHECK (awaiting_sign_off_units >= 0 AND accepted_units >= 0)
);

CREATE INDEX inspections_programme ON inspections (programme_id, inspected_at);
CREATE INDEX inspections_trainee ON inspections (trainee_id, programme_id);

-- Which units of which report an inspection took, and what became of them (for the daily series).
CREATE TABLE inspection_reports (
    inspection_id     TEXT NOT NULL,
    report_id         TEXT NOT NULL,
    units             INTEGER NOT NULL,
    passed_units      INTEGER NOT NULL,
    rejected_units    INTEGER NOT NULL,
    accepted_units    INTEGER NOT NULL,
    awaiting_units    INTEGER NOT NULL,
    position          INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, report_id)
);

CREATE INDEX inspection_reports_report ON inspection_reports (report_id);

-- Rejected units per defect code, at inspection ('inspection') or at sign-off ('sign_off').
CREATE TABLE inspection_defects (
    inspection_id TEXT NOT NULL,
    stage         TEXT NOT NULL,
    defect_code   TEXT NOT NULL,
    units         INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, stage, defect_code)
);

-- Rejected units sent back to the trainee; reworked_units grow as rework reports arrive.
CREATE TABLE rework_orders (
    rework_order_id TEXT PRIMARY KEY,
    inspection_id   TEXT NOT NULL,
    programme_id    TEXT NOT NULL,
    trainee_id      TEXT NOT NULL,
    units           INTEGER NOT NULL,
    reworked_units  INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    CHECK (reworked_units >= 0 AND reworked_units <= units)
);

CREATE INDEX rework_orders_programme ON rework_orders (programme_id, created_at);

-- A product's inspection checklist; codes removed stay (active = 0) so old inspections keep labels.
CREATE TABLE defect_codes (
    product_code     TEXT NOT NULL,
    code             TEXT NOT NULL,
    label            TEXT NOT NULL,
    label_en         TEXT NOT NULL,
    medical_standard INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    active           INTEGER NOT NULL,
    PRIMARY KEY (product_code, code)
);

CREATE TABLE defect_checklists (
    product_code TEXT PRIMARY KEY,
    updated_at   BIGINT NOT NULL
);

-- The checklists of the two 2020 programmes (cloth masks; PPE sets with medical-standard points).
INSERT INTO defect_checklists (product_code, updated_at) VALUES ('MASK-SASIRANGAN-3L', 0), ('APD-SET', 0);
INSERT INTO defect_codes (product_code, code, label, label_en, medical_standard, position, active) VALUES
    ('MASK-SASIRANGAN-3L', 'SEAM_OPEN', 'Jahitan terbuka', 'Open seam', 0, 1, 1),
    ('MASK-SASIRANGAN-3L', 'LAYER_MISSING', 'Lapisan kurang dari 3', 'Fewer than 3 layers', 0, 2, 1),
    ('MASK-SASIRANGAN-3L', 'SIZE_WRONG', 'Ukuran tidak sesuai', 'Wrong size', 0, 3, 1),
    ('MASK-SASIRANGAN-3L', 'FABRIC_DEFECT', 'Cacat kain', 'Fabric defect', 0, 4, 1),
    ('MASK-SASIRANGAN-3L', 'EAR_LOOP_LOOSE', 'Tali telinga lepas', 'Loose ear loop', 0, 5, 1),
    ('APD-SET', 'SEAM_OPEN', 'Jahitan terbuka', 'Open seam', 0, 1, 1),
    ('APD-SET', 'SIZE_WRONG', 'Ukuran tidak sesuai', 'Wrong size', 0, 2, 1),
    ('APD-SET', 'FABRIC_DEFECT', 'Cacat bahan', 'Material defect', 0, 3, 1),
    ('APD-SET', 'SEAM_NOT_SEALED', 'Jahitan tidak kedap', 'Seam not sealed against fluids', 1, 4, 1),
    ('APD-SET', 'COVERAGE_INCOMPLETE', 'Tidak menutup seluruh tubuh', 'Incomplete body coverage', 1, 5, 1),
    ('APD-SET', 'MATERIAL_NOT_FLUID_RESISTANT', 'Bahan tidak tahan cairan', 'Material not fluid resistant', 1, 6, 1),
    ('APD-SET', 'CLOSURE_FAULTY', 'Penutup/resleting rusak', 'Faulty closure', 1, 7, 1);
