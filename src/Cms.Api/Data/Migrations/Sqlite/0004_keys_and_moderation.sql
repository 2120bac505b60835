-- Keys with roles: when each was last used (written at most once a minute per key).
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;

-- Flood control looks up a sender's latest comment by client IP and by e-mail address.
CREATE INDEX ix_comments_client_ip ON comments (client_ip, created_at);
CREATE INDEX ix_comments_email ON comments (email, created_at);

-- Every status change of a comment records who (the key's name) and when.
ALTER TABLE comments ADD COLUMN moderated_by TEXT;
ALTER TABLE comments ADD COLUMN moderated_at TEXT;

-- Per-article switch for the comment form (closed: posting is 403).
ALTER TABLE articles ADD COLUMN comments_open INTEGER NOT NULL DEFAULT 1;

-- Duplicate detection looks a comment up by a hash of its body (comparing whole bodies needs no index on them).
ALTER TABLE comments ADD COLUMN body_hash INTEGER;
CREATE INDEX ix_comments_duplicates ON comments (article_id, body_hash, created_at);
