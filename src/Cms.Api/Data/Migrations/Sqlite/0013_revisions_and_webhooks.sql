-- Revisions: every article's document as it was after each change, numbered per article. Not tied to articles by a
-- foreign key: a deleted article's revisions stay (deleted_at set) until they are pruned, and it can be restored from them.
CREATE TABLE article_revisions (
    article_id INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    document   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    key_name   TEXT,
    deleted_at TEXT,
    PRIMARY KEY (article_id, number)
);

CREATE INDEX ix_article_revisions_deleted ON article_revisions (deleted_at) WHERE deleted_at IS NOT NULL;

-- Webhooks and their deliveries. A delivery is written in the transaction of the change it announces (the outbox), one
-- per subscribed hook; the dispatcher sends each, in order per ordering key, and records every attempt.
CREATE TABLE webhooks (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL,
    enabled         INTEGER NOT NULL,
    secret          TEXT NOT NULL,
    description     TEXT,
    disabled_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    message_id      TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    ordering_key    TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    leased_until    TEXT,
    finished_at     TEXT
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_order ON webhook_deliveries (webhook_id, ordering_key, id) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TEXT NOT NULL,
    status_code  INTEGER,
    latency_ms   INTEGER NOT NULL,
    response     TEXT,
    error        TEXT
);

CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
