-- Search documents are built by the service (Search/SearchDocument.cs), cut and folded as SQLite's index cuts and folds
-- its words, so that both engines find the same articles; PostgreSQL's to_tsvector also cut differently (e-mail
-- addresses, hyphenated words) and cost more than the rest of a bulk write together. The triggers now only mark an
-- article's document due; every write builds what is due before it commits. Existing documents are rebuilt so.
CREATE TABLE article_search_due (
    article_id bigint PRIMARY KEY
);

CREATE OR REPLACE FUNCTION cms_search_changed(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO article_search_due (article_id) SELECT DISTINCT unnest(ids) ON CONFLICT DO NOTHING;
$$;

INSERT INTO article_search_due (article_id) SELECT id FROM articles;

-- Whole-document writes (an import, an upsert by slug) set cms.bulk_write for their transaction: they write their
-- articles' search documents themselves, from the documents they hold, and mark pages due once per batch of rows. The
-- triggers would mark both once per statement and table, and the documents would be read back to be built.
-- Every other write leaves the setting unset and keeps the triggers.

CREATE OR REPLACE FUNCTION cms_articles_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM cms_pages_changed(ARRAY(SELECT id FROM new_rows WHERE status = 'published'));
    PERFORM cms_search_changed(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cms_articles_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM cms_pages_changed(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.status = 'published' OR n.status = 'published'));
    PERFORM cms_search_changed(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (o.title, o.standfirst, o.byline) IS DISTINCT FROM (n.title, n.standfirst, n.byline)));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cms_parts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM cms_pages_changed(ARRAY(SELECT DISTINCT article_id FROM new_rows));
    IF TG_TABLE_NAME = 'sections' THEN
        PERFORM cms_search_changed(ARRAY(SELECT DISTINCT article_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cms_parts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM cms_pages_changed(ARRAY(SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    IF TG_TABLE_NAME = 'sections' THEN
        PERFORM cms_search_changed(ARRAY(SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cms_parts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM cms_pages_changed(ARRAY(SELECT DISTINCT article_id FROM old_rows));
    IF TG_TABLE_NAME = 'sections' THEN
        PERFORM cms_search_changed(ARRAY(SELECT DISTINCT article_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION cms_comments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cms.bulk_write', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM cms_pages_changed(ARRAY(SELECT DISTINCT article_id FROM new_rows WHERE status = 'approved'));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM cms_pages_changed(ARRAY(
            SELECT article_id FROM new_rows WHERE status = 'approved' UNION SELECT article_id FROM old_rows WHERE status = 'approved'));
    ELSE
        PERFORM cms_pages_changed(ARRAY(SELECT DISTINCT article_id FROM old_rows WHERE status = 'approved'));
    END IF;
    RETURN NULL;
END $$;
