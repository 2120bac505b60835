-- A whole-document write (import, PUT by slug) now writes an article's search row once, with all its text, instead
-- of an empty row from the article trigger followed by an UPDATE when the sections are in. FTS5 keeps new rows in
-- memory only while rowids ascend: updating the row just inserted makes it flush its pending index to disk, a
-- tiny segment per article that it must then merge (most of an import's time went there). So the article triggers
-- stand aside too while search_deferred has a row (see 0005), and the writer inserts or updates the row itself.
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
