namespace Cms.Api.Search;

/// <summary>
/// The full-text index's statements. The index lives in its own file (migration 0010), attached to a reading connection
/// as <see cref="Schema"/> and written only by <see cref="SearchIndexer"/>. What it must index is recorded in this
/// database's search_changes log, in the transaction of the change: triggers record edits and deletes, and the code
/// that adds articles and sections records them with <see cref="RecordChange"/> or <see cref="RecordChanges"/>.
/// </summary>
internal static class SearchIndex
{
    public const string Schema = "search";

    /// <summary>Records that article @Id's searchable text changed.</summary>
    public const string RecordChange = "INSERT INTO search_changes (article_id) VALUES (@Id)";

    /// <summary>Records the articles in @Ids (a JSON array), in one statement.</summary>
    public const string RecordChanges = "INSERT INTO search_changes (article_id) SELECT value FROM json_each(@Ids)";

    /// <summary>
    /// The last change ever recorded (0 for none): from sqlite_sequence, which keeps it after the log is pruned
    /// (search_changes is AUTOINCREMENT).
    /// </summary>
    public const string LastChange = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'), 0)";

    /// <summary>
    /// The index's file. Contentless (it keeps no copy of the text; snippets are cut from the stored text), and
    /// contentless_delete so that an entry can leave it by id alone.
    /// </summary>
    public const string CreateFile = """
        PRAGMA journal_mode = WAL;
        CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
            title, standfirst, byline, headings, bodies,
            content = '', contentless_delete = 1,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE IF NOT EXISTS search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            source TEXT NOT NULL,   -- search_source.token of the database this file indexes
            applied INTEGER NOT NULL -- the last search_changes id reflected here
        );
        """;

    public const string Columns = "title, standfirst, byline, headings, bodies";

    public static readonly string[] ColumnNames = Columns.Split(", ");
}
