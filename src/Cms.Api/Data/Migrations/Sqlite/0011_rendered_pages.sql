-- Render on write: each published article's public page is kept here as JSON, in parts the page's `include` forms are
-- put together from, so a read of any form is one row and no serializing (Articles/Pages). Rewritten when the
-- article changes, in the transaction that changes it.
--
-- The triggers below make that safe whoever writes: every change that can alter what the public sees of an article
-- deletes its rendered page and puts the article in article_pages_due, in the writer's transaction. Only published
-- articles have pages: changes to others (a draft's sections, an import of drafts) render nothing. A reader finds
-- either a page that is current or none (and then builds the page from the tables, as before this table existed).
-- Before a write commits, the renderer renders what is due (or, after a bulk write, leaves it to its background
-- pass); a crash loses nothing, since what is due is in the database.
CREATE TABLE article_pages (
    article_id           INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    article              BLOB NOT NULL, -- the article's JSON object without its closing brace
    sections             BLOB NOT NULL, -- JSON array
    pull_quotes          BLOB NOT NULL, -- JSON array
    comments             BLOB NOT NULL, -- JSON array: the first comments the public sees
    comments_cursor      BLOB,          -- JSON string: the next comments cursor, when there are more
    article_modified     TEXT NOT NULL,
    sections_modified    TEXT,
    pull_quotes_modified TEXT,
    comments_modified    TEXT,
    section_keys         TEXT NOT NULL, -- surrogate keys, space-separated
    pull_quote_keys      TEXT NOT NULL
);

-- What is due, most recently made due last (seq): a write renders the newest first, its own among them, even while a
-- bulk write's backlog waits. The triggers move an article already due to the end by deleting and re-adding it: a
-- conflict clause (OR REPLACE) in a trigger gives way to the statement's, and cascades have their own. No foreign
-- key: a deleted article's sections cascade after it is gone, and their triggers still name it here.
CREATE TABLE article_pages_due (seq INTEGER PRIMARY KEY, article_id INTEGER NOT NULL UNIQUE);

INSERT INTO article_pages_due (article_id) SELECT id FROM articles WHERE status = 'published';

CREATE TRIGGER pages_article_insert AFTER INSERT ON articles WHEN NEW.status = 'published' BEGIN
    DELETE FROM article_pages_due WHERE article_id = NEW.id;
    INSERT INTO article_pages_due (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER pages_article_update AFTER UPDATE ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = NEW.id;
    DELETE FROM article_pages_due WHERE article_id = NEW.id;
    INSERT INTO article_pages_due (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER pages_section_insert AFTER INSERT ON sections
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = NEW.article_id;
    DELETE FROM article_pages_due WHERE article_id = NEW.article_id;
    INSERT INTO article_pages_due (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER pages_section_update AFTER UPDATE ON sections
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
  OR (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id IN (OLD.article_id, NEW.article_id);
    DELETE FROM article_pages_due WHERE article_id IN (OLD.article_id, NEW.article_id);
    INSERT INTO article_pages_due (article_id) SELECT OLD.article_id UNION SELECT NEW.article_id;
END;

CREATE TRIGGER pages_section_delete AFTER DELETE ON sections
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = OLD.article_id;
    DELETE FROM article_pages_due WHERE article_id = OLD.article_id;
    INSERT INTO article_pages_due (article_id) VALUES (OLD.article_id);
END;

CREATE TRIGGER pages_pull_quote_insert AFTER INSERT ON pull_quotes
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = NEW.article_id;
    DELETE FROM article_pages_due WHERE article_id = NEW.article_id;
    INSERT INTO article_pages_due (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER pages_pull_quote_update AFTER UPDATE ON pull_quotes
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
  OR (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id IN (OLD.article_id, NEW.article_id);
    DELETE FROM article_pages_due WHERE article_id IN (OLD.article_id, NEW.article_id);
    INSERT INTO article_pages_due (article_id) SELECT OLD.article_id UNION SELECT NEW.article_id;
END;

CREATE TRIGGER pages_pull_quote_delete AFTER DELETE ON pull_quotes
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = OLD.article_id;
    DELETE FROM article_pages_due WHERE article_id = OLD.article_id;
    INSERT INTO article_pages_due (article_id) VALUES (OLD.article_id);
END;

-- The public sees approved comments only (and counts approved replies): a comment that is not approved before or after
-- a change alters no page, so posting to the moderation queue costs the page nothing.
CREATE TRIGGER pages_comment_insert AFTER INSERT ON comments
WHEN NEW.status = 'approved' AND (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = NEW.article_id;
    DELETE FROM article_pages_due WHERE article_id = NEW.article_id;
    INSERT INTO article_pages_due (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER pages_comment_update AFTER UPDATE ON comments
WHEN (OLD.status = 'approved' AND (SELECT status FROM articles WHERE id = OLD.article_id) = 'published')
  OR (NEW.status = 'approved' AND (SELECT status FROM articles WHERE id = NEW.article_id) = 'published')
BEGIN
    DELETE FROM article_pages WHERE article_id IN (OLD.article_id, NEW.article_id);
    DELETE FROM article_pages_due WHERE article_id IN (OLD.article_id, NEW.article_id);
    INSERT INTO article_pages_due (article_id) SELECT OLD.article_id UNION SELECT NEW.article_id;
END;

CREATE TRIGGER pages_comment_delete AFTER DELETE ON comments
WHEN OLD.status = 'approved' AND (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    DELETE FROM article_pages WHERE article_id = OLD.article_id;
    DELETE FROM article_pages_due WHERE article_id = OLD.article_id;
    INSERT INTO article_pages_due (article_id) VALUES (OLD.article_id);
END;
