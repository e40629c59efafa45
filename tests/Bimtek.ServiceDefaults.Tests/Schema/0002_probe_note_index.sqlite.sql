-- The probe's stand-in for an index added after release (the PostgreSQL script builds it CONCURRENTLY).
CREATE INDEX notes_by_sequence ON notes (sequence);
