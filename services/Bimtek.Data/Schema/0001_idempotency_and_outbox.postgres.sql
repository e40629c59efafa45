-- Shared by every service: the request_id store and the transactional outbox.

CREATE TABLE idempotency_keys (
    request_id   TEXT PRIMARY KEY,
    operation    TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     BYTEA,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE outbox_messages (
    id              TEXT PRIMARY KEY,
    destination     TEXT NOT NULL,
    message_type    TEXT NOT NULL,
    payload         BYTEA NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT
);

CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_messages_parked ON outbox_messages (status) WHERE status = 'parked';
