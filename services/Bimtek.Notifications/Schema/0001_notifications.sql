-- People's contacts, received events, messages and their delivery attempts.
-- Times are Unix milliseconds (UTC).

CREATE TABLE contacts (
    subject           TEXT PRIMARY KEY,
    name              TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    language          INTEGER NOT NULL DEFAULT 1,
    preferred_channel INTEGER NOT NULL DEFAULT 0,
    opted_out         INTEGER NOT NULL DEFAULT 0,
    minor             INTEGER NOT NULL DEFAULT 0,
    guardian_subject  TEXT NOT NULL DEFAULT '',
    guardian_consent  INTEGER NOT NULL DEFAULT 0,
    push_endpoint     TEXT NOT NULL DEFAULT '',
    push_p256dh       TEXT NOT NULL DEFAULT '',
    push_auth         TEXT NOT NULL DEFAULT '',
    updated_at        BIGINT NOT NULL
);

-- One row per applied event: the sender's outbox message id decides (insert first).
CREATE TABLE received_events (
    request_id  TEXT PRIMARY KEY,
    event_type  TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- One row per message to one person. dedupe_key names the fact (e.g. "kit:<dispatch>:<subject>"):
-- the same fact is never notified twice, whichever event carries it.
CREATE TABLE messages (
    message_id          TEXT PRIMARY KEY,
    dedupe_key          TEXT NOT NULL UNIQUE,
    subject             TEXT NOT NULL,
    programme_id        TEXT NOT NULL DEFAULT '',
    template            TEXT NOT NULL,
    language            INTEGER NOT NULL,
    arguments           TEXT NOT NULL,
    item_count          INTEGER NOT NULL DEFAULT 1,
    text                TEXT NOT NULL,
    status              INTEGER NOT NULL,
    channel             INTEGER NOT NULL DEFAULT 0,
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT NOT NULL DEFAULT '',
    provider_message_id TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    not_before          BIGINT NOT NULL,
    sent_at             BIGINT
);

CREATE INDEX messages_by_subject ON messages (subject, created_at);
CREATE INDEX messages_by_provider_id ON messages (provider_message_id);

-- Items gathered into a batched message (PPE sets waiting for one expert in one hour): each counted once.
CREATE TABLE batch_items (
    dedupe_key TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    PRIMARY KEY (dedupe_key, item_id)
);

-- Every channel tried for a message, with its outcome.
CREATE TABLE delivery_attempts (
    message_id   TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    channel      INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);

CREATE INDEX delivery_attempts_by_message ON delivery_attempts (message_id);
