-- Idempotency-Key: the first response to a keyed POST is kept for 24 hours and replayed to retries.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,  -- method, path and caller: a key is only ever replayed to the same caller
    key          TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,  -- SHA-256 of the body: the same key with another body is refused
    status       INTEGER NOT NULL,  -- 0 while the first request is still running
    content_type TEXT,
    location     TEXT,
    etag         TEXT,
    body         BLOB,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
