-- Secrets every node shares, made at first use: the key that signs preview links. Replacing it revokes every link.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- JSON now keeps < > & ' + readable instead of \u-escaping them: the rendered pages are written again in that form
-- (until each is, its page is built from the tables, with the same bytes).
DELETE FROM article_pages;
INSERT INTO article_pages_due (article_id)
SELECT id FROM articles WHERE status = 'published' AND id NOT IN (SELECT article_id FROM article_pages_due);
