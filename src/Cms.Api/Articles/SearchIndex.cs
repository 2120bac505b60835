namespace Cms.Api.Articles;

/// <summary>
/// The statements that put an article's entry into the full-text index and take it out. The index (migration 0007)
/// reads its text through the articles_search view and must be given exactly the text it indexed when an entry
/// leaves it: <see cref="Remove"/> runs before anything of the article changes, <see cref="Add"/> after.
/// Triggers do this for edits and deletes; code that adds articles or sections calls these itself (migration 0008).
/// </summary>
internal static class SearchIndex
{
    /// <summary>Takes article @Id's entry out, if it has one.</summary>
    public const string Remove = """
        INSERT INTO articles_fts (articles_fts, rowid, title, standfirst, byline, headings, bodies)
        SELECT 'delete', id, title, standfirst, byline, headings, bodies FROM articles_search
        WHERE id = @Id AND EXISTS (SELECT 1 FROM articles_fts_docsize WHERE id = @Id)
        """;

    /// <summary>Puts article @Id's entry in, from its current text.</summary>
    public const string Add = """
        INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
        SELECT id, title, standfirst, byline, headings, bodies FROM articles_search WHERE id = @Id
        """;

    /// <summary>
    /// Puts the entries of the articles in @Ids (a JSON array) in, in one statement. FTS5 writes its pending terms to
    /// disk whenever SQLite opens a statement savepoint, which it does around statements like this one: an entry per
    /// statement made one small segment per article, and a lot of merging later (bench/README.md, sixth session).
    /// </summary>
    public const string AddMany = """
        INSERT INTO articles_fts (rowid, title, standfirst, byline, headings, bodies)
        SELECT id, title, standfirst, byline, headings, bodies FROM articles_search
        WHERE id IN (SELECT value FROM json_each(@Ids))
        """;
}
