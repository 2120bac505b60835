-- Adding an article or a section no longer fires a trigger: the code that adds them puts the article's entry into
-- the search index itself (Articles/SearchIndex.cs, used by ArticleStore, SectionStore and Transfer/DocumentStore).
-- Edits and deletes keep their triggers (0007).
--
-- Why: SQLite runs an INSERT that fires triggers as a statement that may write many rows, inside a statement
-- savepoint, even when every trigger's WHEN clause says no. Opening that savepoint makes FTS5 write its pending
-- terms to disk, so an import that added entries one article at a time left one small index segment per article and
-- then spent its time merging them. Without the triggers, an import adds its new articles' entries 1,000 at a time.
DROP TRIGGER articles_fts_insert;
DROP TRIGGER sections_fts_before_insert;
DROP TRIGGER sections_fts_insert;
