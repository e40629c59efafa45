-- Retention: the pruner finds old rows by these indexes instead of scanning the tables.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX outbox_messages_delivered ON outbox_messages (delivered_at) WHERE status = 'delivered';
