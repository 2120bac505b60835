-- Core content model. Timestamps are ISO 8601 UTC text with millisecond precision
-- ('yyyy-MM-ddTHH:mm:ss.fffZ'): fixed width, so they sort correctly as text.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    standfirst   TEXT,
    byline       TEXT,
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    published_at TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sections (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    heading    TEXT,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (article_id, position)
);

CREATE TABLE pull_quotes (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    section_id      INTEGER REFERENCES sections (id) ON DELETE SET NULL,
    text            TEXT    NOT NULL,
    attribution     TEXT,
    after_paragraph INTEGER CHECK (after_paragraph >= 0),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX ix_pull_quotes_article ON pull_quotes (article_id, id);
CREATE INDEX ix_pull_quotes_section ON pull_quotes (section_id);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- A deleted parent leaves its replies in place as top-level comments rather than losing them.
    parent_id  INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    name       TEXT    NOT NULL,
    email      TEXT,
    website    TEXT,
    body       TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'spam', 'rejected')),
    client_ip  TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX ix_comments_article ON comments (article_id, status, created_at, id);
CREATE INDEX ix_comments_status ON comments (status, created_at, id);
CREATE INDEX ix_comments_parent ON comments (parent_id);

-- API keys are stored as SHA-256 hashes only; the secret is shown once when created.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    prefix     TEXT    NOT NULL,
    key_hash   BLOB    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    revoked_at TEXT
);
