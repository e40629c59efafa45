-- bimtek:no-transaction
-- Retention (issue 20): the pruner finds old received events, finished messages and finished webhook deliveries by
-- these indexes instead of scanning the tables. By the time this ships the tables are big, so the indexes are built
-- CONCURRENTLY (writers carry on) outside a transaction; dropped first, because a build that died leaves an INVALID index.
DROP INDEX CONCURRENTLY IF EXISTS received_events_received;
CREATE INDEX CONCURRENTLY received_events_received ON received_events (received_at);
DROP INDEX CONCURRENTLY IF EXISTS messages_finished_created;
CREATE INDEX CONCURRENTLY messages_finished_created ON messages (created_at) WHERE status <> 1;
DROP INDEX CONCURRENTLY IF EXISTS webhook_deliveries_finished_created;
CREATE INDEX CONCURRENTLY webhook_deliveries_finished_created ON webhook_deliveries (created_at) WHERE status <> 'pending';
