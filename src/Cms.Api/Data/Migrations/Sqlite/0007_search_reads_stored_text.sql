-- The search index stops keeping its own copy of every article's text. FTS5 now indexes "external content":
-- it reads the text back from the tables, through the view below, only when it builds a snippet. That copy was
-- a third of the database file, and writing it cost about a
-- quarter of an import's time.
--
-- The rule that comes with external content: when an article's entry leaves the index, FTS5 must be given exactly
-- the text it indexed. So every change removes the entry while the view still shows the old text, and adds it back
-- from the view afterwards. The triggers below do that for single-row edits; whole-document writers (import, PUT
-- by slug) hold search_deferred (see 0005) and do it once per document (Transfer/DocumentStore.cs). Any other
-- writer of these columns must do the same. The FTS5 'integrity-check' command verifies the index against the view.
--
-- Sections are joined in the order they were created (id), not by position: moving a section leaves the text, and
-- the index, as it is. A snippet that spans two sections may show them in creation order.

DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER sections_fts_insert;
DROP TRIGGER sections_fts_update;
DROP TRIGGER sections_fts_delete;
DROP TABLE articles_fts;

CREATE VIEW articles_search AS
SELECT a.id, a.title, a.standfirst, a.byline,
       (SELECT COALESCE(group_concat(heading, char(10) ORDER BY id), '') FROM sections WHERE article_id = a.id) AS headings,
       (SELECT COALESCE(group_concat(body, char(10) ORDER BY id), '') FROM sections WHERE article_id = a.id) AS bodies
FROM articles a;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, standfirst, byline, headings, bodies,
    content = 'articles_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

-- Removing an entry is guarded by whether the index has one (its docsize row): an article deleted with its sections
-- removes its entry once, and the cascaded section deletes find none left.

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    SELECT id, title, standfirst, byline, headings, bodies FROM articles_search WHERE id = NEW.id;
END;

-- Sections are untouched by an UPDATE of articles, so the view's headings and bodies are what was indexed.
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, standfirst, byline ON articles
WHEN NOT EXISTS (SELECT 1 FROM search_deferred)
    AND (OLD.title IS NOT NEW.title OR OLD.standfirst IS NOT NEW.standfirst OR OLD.byline IS NOT NEW.byline)
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, standfirst, byline, headings, bodies)
    SELECT 'delete', OLD.id, OLD.title, OLD.standfirst, OLD.byline, headings, bodies FROM articles_search
    WHERE id = OLD.id AND EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = OLD.id);
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    SELECT id, title, standfirst, byline, headings, bodies FROM articles_search WHERE id = NEW.id;
END;

CREATE TRIGGER articles_fts_delete BEFORE DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, standfirst, byline, headings, bodies)
    SELECT 'delete', id, title, standfirst, byline, headings, bodies FROM articles_search
    WHERE id = OLD.id AND EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = OLD.id);
END;

-- A section's text changes the article's entry: out before (old text), back in after (new text).
CREATE TRIGGER sections_fts_before_insert BEFORE INSERT ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, standfirst, byline, headings, bodies)
    SELECT 'delete', id, title, standfirst, byline, headings, bodies FROM articles_search
    WHERE id = NEW.article_id AND EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = NEW.article_id);
END;

CREATE TRIGGER sections_fts_insert AFTER INSERT ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    SELECT id, title, standfirst, byline, headings, bodies FROM articles_search WHERE id = NEW.article_id;
END;

CREATE TRIGGER sections_fts_before_update BEFORE UPDATE OF heading, body ON sections
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) AND (OLD.heading IS NOT NEW.heading OR OLD.body IS NOT NEW.body)
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, standfirst, byline, headings, bodies)
    SELECT 'delete', id, title, standfirst, byline, headings, bodies FROM articles_search
    WHERE id = OLD.article_id AND EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = OLD.article_id);
END;

CREATE TRIGGER sections_fts_update AFTER UPDATE OF heading, body ON sections
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) AND (OLD.heading IS NOT NEW.heading OR OLD.body IS NOT NEW.body)
BEGIN
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    SELECT id, title, standfirst, byline, headings, bodies FROM articles_search WHERE id = NEW.article_id;
END;

CREATE TRIGGER sections_fts_before_delete BEFORE DELETE ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, standfirst, byline, headings, bodies)
    SELECT 'delete', id, title, standfirst, byline, headings, bodies FROM articles_search
    WHERE id = OLD.article_id AND EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = OLD.article_id);
END;

-- After a cascade from its article's deletion the view has no row for it, so nothing is added back.
CREATE TRIGGER sections_fts_delete AFTER DELETE ON sections WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    SELECT id, title, standfirst, byline, headings, bodies FROM articles_search WHERE id = OLD.article_id;
END;
