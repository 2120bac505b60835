-- A whole-document write (import, PUT by slug) now writes an article's search row once, with all its text, instead
-- of an empty row from the article trigger followed by an UPDATE when the sections are in: one FTS5 write per
-- document instead of two. (FTS5 keeps new rows in memory only while rowids ascend, and an update of the row just
-- inserted flushes them; that halved an import on SQLite 3.40, though on the bundled 3.53 the import took as long
-- either way.) So the article triggers stand aside too while search_deferred has a row (see 0005), and the writer
-- inserts or replaces the row itself.
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
    VALUES (NEW.id, NEW.title, NEW.standfirst, NEW.byline, '', '');
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, standfirst, byline ON articles WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    UPDATE articles_fts SET title = NEW.title, standfirst = NEW.standfirst, byline = NEW.byline
    WHERE rowid = NEW.id;
END;
