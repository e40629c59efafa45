-- Integrators' webhooks: subscriptions (the signing secret encrypted with the data-protection key ring),
-- deliveries (one per event and webhook) and every attempt; the data-protection key ring itself.

CREATE TABLE webhooks (
    webhook_id        TEXT PRIMARY KEY,
    create_request_id TEXT NOT NULL UNIQUE,
    url               TEXT NOT NULL,
    event_types       TEXT NOT NULL,
    office            TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    secret_protected  TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    disabled          INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX webhooks_by_office ON webhooks (office, created_at);

-- One row per event and webhook: (event_id, webhook_id) decides, so a redelivered event is not delivered twice.
CREATE TABLE webhook_deliveries (
    delivery_id  TEXT PRIMARY KEY,
    webhook_id   TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    event_type   INTEGER NOT NULL,
    programme_id TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (event_id, webhook_id)
);

CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id  TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    http_status  INTEGER NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);

CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id);

-- ASP.NET Core data protection's key ring (XML elements), shared by every instance of the service.
CREATE TABLE data_protection_keys (
    name       TEXT PRIMARY KEY,
    xml        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
