-- Whole-document writes (import, PUT by slug) replace all of an article's sections at once. The section triggers
-- re-aggregate the article's search text on every section row, which makes a document of n sections cost n
-- re-indexings (n^2 text). While this table has a row, inside the writing transaction only (no other connection
-- ever sees it), the triggers stand aside and the writer re-indexes each article once when its sections are in.
CREATE TABLE search_deferred (id INTEGER PRIMARY KEY CHECK (id = 1));

DROP TRIGGER sections_fts_insert;
DROP TRIGGER sections_fts_update;
DROP TRIGGER sections_fts_delete;

CREATE TRIGGER sections_fts_insert AFTER INSERT ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    UPDATE articles_fts SET
        headings = (SELECT COALESCE(group_concat(heading, char(10)), '') FROM sections WHERE article_id = NEW.article_id),
        bodies   = (SELECT COALESCE(group_concat(body, char(10)), '') FROM sections WHERE article_id = NEW.article_id)
    WHERE rowid = NEW.article_id;
END;

CREATE TRIGGER sections_fts_update AFTER UPDATE OF heading, body ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    UPDATE articles_fts SET
        headings = (SELECT COALESCE(group_concat(heading, char(10)), '') FROM sections WHERE article_id = NEW.article_id),
        bodies   = (SELECT COALESCE(group_concat(body, char(10)), '') FROM sections WHERE article_id = NEW.article_id)
    WHERE rowid = NEW.article_id;
END;

CREATE TRIGGER sections_fts_delete AFTER DELETE ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    UPDATE articles_fts SET
        headings = (SELECT COALESCE(group_concat(heading, char(10)), '') FROM sections WHERE article_id = OLD.article_id),
        bodies   = (SELECT COALESCE(group_concat(body, char(10)), '') FROM sections WHERE article_id = OLD.article_id)
    WHERE rowid = OLD.article_id;
END;

-- Flood control looks comments up by address or e-mail, and threads by parent; most rows have none of these
-- (imported comments have no address, many readers give no e-mail, most comments are not replies). Indexing
-- only the rows that have one keeps every insert from paying for a long run of NULL keys. A lookup by
-- `client_ip = ?` (or email, parent_id) implies IS NOT NULL, so SQLite still uses these.
DROP INDEX ix_comments_client_ip;
DROP INDEX ix_comments_email;
DROP INDEX ix_comments_parent;
CREATE INDEX ix_comments_client_ip ON comments (client_ip, created_at) WHERE client_ip IS NOT NULL;
CREATE INDEX ix_comments_email ON comments (email, created_at) WHERE email IS NOT NULL;
CREATE INDEX ix_comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;
