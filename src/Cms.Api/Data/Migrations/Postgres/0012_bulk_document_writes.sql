-- Whole-document writes (an import, an upsert by slug) set cms.bulk_write for their transaction and bring search
-- documents and pages due up to date themselves, once per batch of rows for all the articles in it: the triggers would
-- otherwise do that work once per COPY statement and table, an article's search document first without its sections.
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
