-- Retention (issue 20): the pruner finds old received events, finished messages and finished webhook deliveries by
-- these indexes (the PostgreSQL script builds them CONCURRENTLY; SQLite has one writer and no such form).
CREATE INDEX received_events_received ON received_events (received_at);
CREATE INDEX messages_finished_created ON messages (created_at) WHERE status <> 1;
CREATE INDEX webhook_deliveries_finished_created ON webhook_deliveries (created_at) WHERE status <> 'pending';
