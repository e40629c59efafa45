-- Resending a message (a new attempt on the same message) and the office's view of a programme's failed deliveries.

ALTER TABLE messages ADD COLUMN resends INTEGER NOT NULL DEFAULT 0;

CREATE INDEX messages_by_programme_status ON messages (programme_id, status, created_at);
