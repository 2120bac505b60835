-- Secrets every node shares, made at first use: the key that signs preview links. Replacing it revokes every link.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Rendered pages hold JSON in the service's encoding, which leaves < > & ' + unescaped: every page is rendered again in
-- it (until each is, its page is built from the tables, with the same bytes).
DELETE FROM article_pages;
INSERT INTO article_pages_due (article_id)
SELECT id FROM articles WHERE status = 'published' AND id NOT IN (SELECT article_id FROM article_pages_due);
