-- Participants: programmes, people, enrolments, lessons and progress, assistance and home visits,
-- attendance. Portable SQL (SQLite and PostgreSQL). Days are ISO 'YYYY-MM-DD' text in the
-- programme's time zone; instants are BIGINT Unix milliseconds (UTC); enums are their proto numbers.

CREATE TABLE programmes (
    programme_id        TEXT PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    product_code        TEXT NOT NULL,
    organisers          TEXT NOT NULL, -- JSON array of strings
    district            TEXT NOT NULL,
    province            TEXT NOT NULL,
    mode                INTEGER NOT NULL,
    start_day           TEXT NOT NULL,
    end_day             TEXT NOT NULL,
    time_zone           TEXT NOT NULL,
    capacity            INTEGER NOT NULL CHECK (capacity > 0),
    target_quantity     INTEGER NOT NULL CHECK (target_quantity > 0),
    status              INTEGER NOT NULL,
    cancellation_reason TEXT NOT NULL DEFAULT '',
    revision            BIGINT NOT NULL, -- sent to the coordinator; grows with every change it sees
    last_sequence       BIGINT NOT NULL DEFAULT 0, -- highest enrolment sequence handed out
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CHECK (end_day >= start_day)
);

CREATE INDEX programmes_listing ON programmes (start_day, programme_id);

CREATE TABLE people (
    person_id           TEXT PRIMARY KEY,
    kind                INTEGER NOT NULL,
    name                TEXT NOT NULL,
    name_folded         TEXT NOT NULL, -- lower-cased in C# (SQLite's LOWER is ASCII-only)
    phone               TEXT NOT NULL DEFAULT '',
    district            TEXT NOT NULL,
    subject             TEXT UNIQUE, -- NULL when the person has no login
    birth_year          INTEGER,
    village             TEXT,
    guardian_name       TEXT,
    guardian_consent    INTEGER NOT NULL DEFAULT 0,
    guardian_consent_at BIGINT,
    organisation        TEXT,
    created_at          BIGINT NOT NULL
);

CREATE INDEX people_by_name ON people (name_folded, person_id);

CREATE TABLE programme_staff (
    programme_id TEXT NOT NULL REFERENCES programmes (programme_id),
    person_id    TEXT NOT NULL REFERENCES people (person_id),
    role         INTEGER NOT NULL,
    assigned_at  BIGINT NOT NULL,
    PRIMARY KEY (programme_id, person_id)
);

CREATE INDEX programme_staff_by_person ON programme_staff (person_id);

CREATE TABLE enrolments (
    enrolment_id      TEXT PRIMARY KEY,
    programme_id      TEXT NOT NULL REFERENCES programmes (programme_id),
    trainee_id        TEXT NOT NULL REFERENCES people (person_id),
    sequence          INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    enrolled_at       BIGINT NOT NULL,
    withdrawn_at      BIGINT,
    withdrawal_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (programme_id, sequence)
);

-- At most one active enrolment per trainee and programme, whatever races.
CREATE UNIQUE INDEX enrolments_one_active ON enrolments (programme_id, trainee_id) WHERE status = 1;
CREATE INDEX enrolments_by_trainee ON enrolments (trainee_id, programme_id);

CREATE TABLE lessons (
    lesson_id        TEXT PRIMARY KEY,
    programme_id     TEXT NOT NULL REFERENCES programmes (programme_id),
    position         INTEGER NOT NULL,
    title            TEXT NOT NULL,
    video_url        TEXT NOT NULL,
    duration_seconds INTEGER NOT NULL,
    product_step     TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL
);

-- Not unique: inserting shifts positions row by row (the programme row lock serialises it).
CREATE INDEX lessons_by_programme ON lessons (programme_id, position);

CREATE TABLE lesson_progress (
    lesson_id                 TEXT NOT NULL REFERENCES lessons (lesson_id),
    trainee_id                TEXT NOT NULL REFERENCES people (person_id),
    programme_id              TEXT NOT NULL,
    furthest_position_seconds INTEGER NOT NULL,
    percent                   INTEGER NOT NULL,
    completed                 INTEGER NOT NULL,
    reported_at               BIGINT NOT NULL,
    completed_at              BIGINT,
    PRIMARY KEY (lesson_id, trainee_id)
);

CREATE INDEX lesson_progress_by_programme ON lesson_progress (programme_id, trainee_id);

CREATE TABLE assistance_requests (
    assistance_request_id TEXT PRIMARY KEY,
    programme_id          TEXT NOT NULL REFERENCES programmes (programme_id),
    trainee_id            TEXT NOT NULL REFERENCES people (person_id),
    lesson_id             TEXT NOT NULL DEFAULT '',
    product_step          TEXT NOT NULL DEFAULT '',
    description           TEXT NOT NULL,
    origin                INTEGER NOT NULL,
    status                INTEGER NOT NULL,
    instructor_id         TEXT NOT NULL DEFAULT '',
    behind_schedule_day   TEXT,
    created_at            BIGINT NOT NULL,
    closed_at             BIGINT
);

-- The coordinator's behind-schedule requests: one per trainee, programme and day.
CREATE UNIQUE INDEX assistance_behind_schedule_once
    ON assistance_requests (programme_id, trainee_id, behind_schedule_day) WHERE behind_schedule_day IS NOT NULL;
CREATE INDEX assistance_by_programme ON assistance_requests (programme_id, created_at);
CREATE INDEX assistance_by_trainee ON assistance_requests (trainee_id, created_at);

CREATE TABLE home_visits (
    home_visit_id         TEXT PRIMARY KEY,
    assistance_request_id TEXT NOT NULL REFERENCES assistance_requests (assistance_request_id),
    programme_id          TEXT NOT NULL,
    trainee_id            TEXT NOT NULL,
    instructor_id         TEXT NOT NULL REFERENCES people (person_id),
    day                   TEXT NOT NULL,
    window_start_seconds  INTEGER NOT NULL,
    window_end_seconds    INTEGER NOT NULL,
    address               TEXT NOT NULL,
    outcome               INTEGER NOT NULL DEFAULT 0,
    outcome_notes         TEXT NOT NULL DEFAULT '',
    visited_at            BIGINT,
    created_at            BIGINT NOT NULL
);

CREATE INDEX home_visits_by_programme ON home_visits (programme_id, day);
CREATE INDEX home_visits_by_instructor ON home_visits (instructor_id, day);

CREATE TABLE attendance (
    programme_id       TEXT NOT NULL REFERENCES programmes (programme_id),
    day                TEXT NOT NULL,
    trainee_id         TEXT NOT NULL REFERENCES people (person_id),
    enrolment_sequence INTEGER NOT NULL,
    status             INTEGER NOT NULL,
    note               TEXT NOT NULL DEFAULT '',
    recorded_by        TEXT NOT NULL,
    recorded_at        BIGINT NOT NULL,
    PRIMARY KEY (programme_id, day, trainee_id)
);
