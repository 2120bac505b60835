-- The full-text index moves out of this database into a file of its own beside it (cms.db-search for cms.db),
-- written by its own connection on its own thread (Articles/SearchIndexer.cs). SQLite allows one writer per file:
-- with the index in here, an import's one writer thread did the search work too. Now an import's
-- rows go in here while the indexer tokenizes the same articles on the other core.
--
-- This database stays the source of truth. Every change to an article's searchable text is recorded in
-- search_changes, in the transaction that makes it; the indexer records in its file, in the transaction that applies
-- them, how far it has got. After a crash, or with the file deleted or belonging to another copy of this database
-- (search_source) or to a later state of it (a restored backup), the indexer redoes what it has not applied, or rebuilds the file from the articles_search view.
-- Edits and deletes are recorded by the triggers below; the code that adds articles and sections records them itself,
-- as it has added their search entries since migration 0008 (Articles/SearchIndex.cs).

DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER sections_fts_before_update;
DROP TRIGGER sections_fts_update;
DROP TRIGGER sections_fts_before_delete;
DROP TRIGGER sections_fts_delete;
DROP TABLE articles_fts;
DROP TABLE search_deferred;

-- AUTOINCREMENT: ids are never reused, and sqlite_sequence keeps the last one after the log is pruned. A search file
-- that has applied more than this database ever recorded indexes a later state of it (a backup was restored): rebuilt.
CREATE TABLE search_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, article_id INTEGER NOT NULL);

-- Names this copy of the database; a search file made for another copy (a restored backup, say) is rebuilt.
CREATE TABLE search_source (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL);
INSERT INTO search_source (id, token) VALUES (1, lower(hex(randomblob(16))));

CREATE TRIGGER search_article_update AFTER UPDATE OF title, standfirst, byline ON articles
WHEN OLD.title IS NOT NEW.title OR OLD.standfirst IS NOT NEW.standfirst OR OLD.byline IS NOT NEW.byline
BEGIN
    INSERT INTO search_changes (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_article_delete AFTER DELETE ON articles BEGIN
    INSERT INTO search_changes (article_id) VALUES (OLD.id);
END;

CREATE TRIGGER search_section_update AFTER UPDATE OF heading, body ON sections
WHEN OLD.heading IS NOT NEW.heading OR OLD.body IS NOT NEW.body
BEGIN
    INSERT INTO search_changes (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER search_section_delete AFTER DELETE ON sections BEGIN
    INSERT INTO search_changes (article_id) VALUES (OLD.article_id);
END;
