-- Content delivery: scheduled publishing, keyset-friendly indexes for every list order, full-text search.

ALTER TABLE articles ADD COLUMN publish_at TEXT;

-- The scheduled publisher looks for due articles.
CREATE INDEX ix_articles_scheduled ON articles (publish_at) WHERE status = 'scheduled';

-- Sort keys as (virtual, generated) columns: SQLite uses an index range for a keyset condition on a column,
-- but not on an expression, so a cursor deep in the list would otherwise scan from the top.
-- Newest first means by publication time, or creation time for articles never published.
ALTER TABLE articles ADD COLUMN published_sort TEXT GENERATED ALWAYS AS (COALESCE(published_at, created_at)) VIRTUAL;
ALTER TABLE articles ADD COLUMN title_sort TEXT GENERATED ALWAYS AS (lower(title)) VIRTUAL;

-- One index per list order (and per order within a status, for the public's published-only lists),
-- so a page deep in a cursor walk costs the same as the first.
CREATE INDEX ix_articles_newest ON articles (published_sort DESC, id DESC);
CREATE INDEX ix_articles_status_newest ON articles (status, published_sort DESC, id DESC);
CREATE INDEX ix_articles_updated ON articles (updated_at DESC, id DESC);
CREATE INDEX ix_articles_status_updated ON articles (status, updated_at DESC, id DESC);
CREATE INDEX ix_articles_title ON articles (title_sort, id);
CREATE INDEX ix_articles_status_title ON articles (status, title_sort, id);
CREATE INDEX ix_articles_published ON articles (published_at);

-- Full-text index of each article: its own fields plus all its section headings and bodies.
-- It stores its own copy of the text (so snippet() works) and is kept in sync by the triggers below.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, standfirst, byline, headings, bodies,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    VALUES (NEW.id, NEW.title, NEW.standfirst, NEW.byline, '', '');
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, standfirst, byline ON articles BEGIN
    UPDATE articles_fts SET title = NEW.title, standfirst = NEW.standfirst, byline = NEW.byline
    WHERE rowid = NEW.id;
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = OLD.id;
END;

-- Section text is re-aggregated for the article whenever a section's text changes (not on position shifts).
CREATE TRIGGER sections_fts_insert AFTER INSERT ON sections BEGIN
    UPDATE articles_fts SET
        headings = (SELECT COALESCE(group_concat(heading, char(10)), '') FROM sections WHERE article_id = NEW.article_id),
        bodies   = (SELECT COALESCE(group_concat(body, char(10)), '') FROM sections WHERE article_id = NEW.article_id)
    WHERE rowid = NEW.article_id;
END;

CREATE TRIGGER sections_fts_update AFTER UPDATE OF heading, body ON sections BEGIN
    UPDATE articles_fts SET
        headings = (SELECT COALESCE(group_concat(heading, char(10)), '') FROM sections WHERE article_id = NEW.article_id),
        bodies   = (SELECT COALESCE(group_concat(body, char(10)), '') FROM sections WHERE article_id = NEW.article_id)
    WHERE rowid = NEW.article_id;
END;

CREATE TRIGGER sections_fts_delete AFTER DELETE ON sections BEGIN
    UPDATE articles_fts SET
        headings = (SELECT COALESCE(group_concat(heading, char(10)), '') FROM sections WHERE article_id = OLD.article_id),
        bodies   = (SELECT COALESCE(group_concat(body, char(10)), '') FROM sections WHERE article_id = OLD.article_id)
    WHERE rowid = OLD.article_id;
END;

-- Index what already exists.
INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
SELECT a.id, a.title, a.standfirst, a.byline,
       COALESCE((SELECT group_concat(heading, char(10)) FROM sections WHERE article_id = a.id), ''),
       COALESCE((SELECT group_concat(body, char(10)) FROM sections WHERE article_id = a.id), '')
FROM articles a;
