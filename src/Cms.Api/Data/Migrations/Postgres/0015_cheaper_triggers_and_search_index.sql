-- A SQL-language function is parsed and planned at every call; these run in every write's triggers, so they become
-- PL/pgSQL, whose plans each connection keeps. A comment that is not approved changes no page: its trigger calls them
-- only when an approved comment is involved.
CREATE OR REPLACE FUNCTION cms_pages_changed(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM article_pages WHERE article_id = ANY (ids);
    DELETE FROM article_pages_due WHERE article_id = ANY (ids);
    INSERT INTO article_pages_due (article_id)
    SELECT a.id FROM articles a WHERE a.id = ANY (ids) AND a.status = 'published' ORDER BY a.id;
END $$;

CREATE OR REPLACE FUNCTION cms_search_changed(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_search_due (article_id) SELECT DISTINCT unnest(ids) ON CONFLICT DO NOTHING;
END $$;

CREATE OR REPLACE FUNCTION cms_comments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT article_id FROM new_rows WHERE status = 'approved');
    ELSIF TG_OP = 'UPDATE' THEN
        ids := ARRAY(SELECT article_id FROM new_rows WHERE status = 'approved' UNION SELECT article_id FROM old_rows WHERE status = 'approved');
    ELSE
        ids := ARRAY(SELECT DISTINCT article_id FROM old_rows WHERE status = 'approved');
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cms_pages_changed(ids);
    END IF;
    RETURN NULL;
END $$;

-- The search index takes each change at once: Search/SearchDocument.cs merges what GIN's fast update leaves pending
-- after each save. Only the index's owner may merge: for another role this does nothing, and autovacuum merges later.
CREATE FUNCTION cms_merge_search_pending() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM gin_clean_pending_list('ix_article_search_document'::regclass);
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;

SELECT cms_merge_search_pending();
