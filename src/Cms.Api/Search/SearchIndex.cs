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
    /// The layout of <see cref="CreateFile"/>, kept in the file's user_version. A file of another layout is emptied and
    /// built again from the stored text (it is derived data).
    /// </summary>
    public const int Layout = 2;

    /// <summary>
    /// The index's file. The FTS5 table is contentless, and contentless_delete so that an entry can leave it by id
    /// alone; search_text keeps each indexed article's text in one row, for the snippets of a page of hits: read from
    /// the database's view, that text is gathered from every section of every hit.
    /// </summary>
    public const string CreateFile = """
        PRAGMA journal_mode = WAL;
        CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
            title, standfirst, byline, headings, bodies,
            content = '', contentless_delete = 1,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE IF NOT EXISTS search_text (
            id INTEGER PRIMARY KEY,
            title TEXT, standfirst TEXT, byline TEXT, headings TEXT NOT NULL, bodies TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            source TEXT NOT NULL,   -- search_source.token of the database this file indexes
            applied INTEGER NOT NULL -- the last search_changes id reflected here
        );
        """;

    /// <summary>Drops what <see cref="CreateFile"/> creates, for a file of another layout.</summary>
    public const string DropFile = "DROP TABLE IF EXISTS articles_fts; DROP TABLE IF EXISTS search_text; DROP TABLE IF EXISTS search_state";

    /// <summary>The indexed text of the hits in @Ids, for their snippets: the text that matched, even if an edit is not indexed yet.</summary>
    public const string HitTexts = $"SELECT id, {Columns} FROM {Schema}.search_text WHERE id IN @Ids";

    public const string Columns = "title, standfirst, byline, headings, bodies";
}
