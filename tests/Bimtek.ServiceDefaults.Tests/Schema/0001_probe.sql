CREATE TABLE notes (
    id       TEXT PRIMARY KEY,
    text     TEXT NOT NULL,
    count    INTEGER NOT NULL,
    sequence BIGINT NOT NULL
);

CREATE TABLE applied_notes (
    note_id TEXT PRIMARY KEY,
    times   BIGINT NOT NULL
);
