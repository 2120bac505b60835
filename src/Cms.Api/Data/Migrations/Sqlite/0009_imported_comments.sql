-- Comments brought in by an import are history. Flood control (15 seconds) and duplicate detection (24 hours) compare a
-- new post with what readers posted through the API, not with the archive, so their two indexes leave imported comments
-- out: an import of millions of comments no longer writes twice as many index entries that no lookup can use.
--
-- Comments imported before this migration are not marked and stay in both indexes, compared as before.
ALTER TABLE comments ADD COLUMN imported INTEGER; -- 1: created by an import; NULL: posted through the API

DROP INDEX ix_comments_email;
DROP INDEX ix_comments_duplicates;
CREATE INDEX ix_comments_email ON comments (email, created_at) WHERE email IS NOT NULL AND imported IS NULL;
CREATE INDEX ix_comments_duplicates ON comments (article_id, body_hash, created_at) WHERE imported IS NULL;
