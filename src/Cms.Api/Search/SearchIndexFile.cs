using Cms.Api.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Search;

/// <summary>
/// The full-text index's own file and what it records of the database it indexes: whose index it is (search_source) and
/// the last recorded change it reflects. Used only from the indexer's thread (<see cref="SearchIndexer"/>).
/// </summary>
internal sealed class SearchIndexFile(SqliteDatabase database, ILogger logger) : IDisposable
{
    private const int RebuildCommitEvery = 10_000;

    // In slices of this many log entries: after a crash in the middle of a large import the log holds a whole chunk's
    // articles, and their text should not all be in memory at once.
    private const int ApplySlice = 5000;

    private const string SelectSource = "SELECT token FROM search_source";
    private const string SelectState = "SELECT source AS Source, applied AS Applied FROM search_state";
    private const string SelectChanges = "SELECT id, article_id FROM search_changes WHERE id > @Applied ORDER BY id LIMIT @Limit";
    private const string SelectText = $"SELECT id AS Id, {SearchIndex.Columns} FROM articles_search WHERE id IN (SELECT value FROM json_each(@Ids))";
    private const string SelectAllText = $"SELECT id, {SearchIndex.Columns} FROM articles_search ORDER BY id";
    private const string RemoveEntry = "DELETE FROM articles_fts WHERE rowid = @Id";
    private const string InsertEntry = $"INSERT INTO articles_fts (rowid, {SearchIndex.Columns}) VALUES (@Id, @Title, @Standfirst, @Byline, @Headings, @Bodies)";
    private const string SaveState = "INSERT OR REPLACE INTO search_state (id, source, applied) VALUES (1, @Source, @Applied)";
    private const string Prune = "DELETE FROM search_changes WHERE id <= @Applied";

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private SqliteConnection? index;
    private long applied;
    private long pruned;
    private string source = "";

    /// <summary>The last recorded change the index reflects, committed in its file.</summary>
    public long Applied => Interlocked.Read(ref applied);

    private SqliteConnection Index => index ?? throw new InvalidOperationException("The search index file is not open.");

    /// <summary>
    /// Opens the file and creates its tables, so that readers can attach it. The file is derived data: one that SQLite
    /// cannot read is deleted and built again (<see cref="Start"/> then finds no state in it).
    /// </summary>
    public void Open()
    {
        try
        {
            index = OpenAndCreateTables();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            logger.LogWarning(exception, "Search index: {Path} cannot be read; building it again from the stored text", database.SearchPath);
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database.SearchPath + suffix);
            }

            index = OpenAndCreateTables();
        }
    }

    /// <summary>
    /// Redoes the changes the file has not applied (a crash between the database's commit and its own), or rebuilds it
    /// from the stored text when it is new, indexes another copy of the database, or is ahead of it (a restored backup).
    /// </summary>
    public void Start()
    {
        using var connection = OpenDatabase();
        source = connection.ExecuteScalar<string>(SelectSource)!;
        var state = Index.QuerySingleOrDefault<StateRow>(SelectState);
        if (state is not null && state.Source == source && state.Applied <= connection.ExecuteScalar<long>(SearchIndex.LastChange))
        {
            Interlocked.Exchange(ref applied, state.Applied);
            ApplyChanges();
            return;
        }

        logger.LogInformation("Search index: building {Path} from the stored text; searches find part of it until it is done", database.SearchPath);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var articles = Rebuild(connection);
        logger.LogInformation("Search index: {Articles} articles indexed in {Seconds:F1} s", articles, clock.Elapsed.TotalSeconds);
        ApplyChanges();
    }

    /// <summary>Applies every change recorded in the database's log since <see cref="Applied"/>, then prunes the log.</summary>
    public void ApplyChanges()
    {
        while (ApplySliceOfChanges())
        {
        }

        TryPrune();
    }

    /// <summary>A transaction of the file's, for a whole-document writer's entries, with its statements prepared.</summary>
    public (SqliteTransaction Transaction, Writes Writes) BeginBatch()
    {
        var transaction = Index.BeginTransaction(deferred: false);
        return (transaction, new Writes(Index, transaction));
    }

    /// <summary>Commits a batch, recording that the file now reflects the database up to <paramref name="upTo"/>.</summary>
    public void CommitBatch(SqliteTransaction transaction, long upTo)
    {
        upTo = Math.Max(upTo, Applied);
        Index.Execute(SaveState, new { Source = source, Applied = upTo }, transaction);
        transaction.Commit();
        Interlocked.Exchange(ref applied, upTo);
    }

    public void Dispose() => index?.Dispose();

    private SqliteConnection OpenAndCreateTables()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.SearchPath, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // synchronous stays FULL, as for the database: the log is pruned up to what this file has committed, so a
            // commit here must survive a power cut as surely as the prune does.
            connection.Execute(SearchIndex.CreateFile);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // A connection of its own, not from the request path's pool: this thread's reads run beside requests.
    private SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        return connection;
    }

    // One read snapshot of the database; the file commits every RebuildCommitEvery articles, and records whose index it is
    // only at the end, so that a rebuild cut short starts again. Returns how many articles it indexed.
    private long Rebuild(SqliteConnection connection)
    {
        using var snapshot = connection.BeginTransaction(deferred: true);
        var upTo = connection.ExecuteScalar<long>(SearchIndex.LastChange, transaction: snapshot);
        var writing = Index.BeginTransaction(deferred: false);
        var writes = new Writes(Index, writing);
        var count = 0L;
        try
        {
            Index.Execute("DELETE FROM search_state; INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')", transaction: writing);
            using (var reader = connection.ExecuteReader(SelectAllText, transaction: snapshot))
            {
                while (reader.Read())
                {
                    writes.Put(SearchText.Read(reader));
                    if (++count % RebuildCommitEvery == 0)
                    {
                        writes.Dispose();
                        writing.Commit();
                        writing.Dispose();
                        writing = Index.BeginTransaction(deferred: false);
                        writes = new Writes(Index, writing);
                    }
                }
            }

            Index.Execute(SaveState, new { Source = source, Applied = upTo }, writing);
            writes.Dispose();
            writing.Commit();
        }
        finally
        {
            writes.Dispose();
            writing.Dispose();
        }

        Interlocked.Exchange(ref applied, upTo);
        return count;
    }

    // Each slice is its own read snapshot and commit. Applying an article twice is harmless (out by id, in with its
    // current text).
    private bool ApplySliceOfChanges()
    {
        long upTo;
        List<long> articles;
        List<SearchText> texts = [];
        using (var connection = OpenDatabase())
        using (var snapshot = connection.BeginTransaction(deferred: true))
        {
            var changes = connection.Query<(long Id, long ArticleId)>(SelectChanges, new { Applied, Limit = ApplySlice }, snapshot).AsList();
            if (changes.Count == 0)
            {
                return false;
            }

            upTo = changes[^1].Id;
            articles = changes.Select(c => c.ArticleId).Distinct().ToList();
            foreach (var chunk in articles.Chunk(500))
            {
                texts.AddRange(SearchText.ReadAll(connection, snapshot, SelectText, ("@Ids", "[" + string.Join(',', chunk) + "]")));
            }
        }

        using (var writing = Index.BeginTransaction(deferred: false))
        using (var writes = new Writes(Index, writing))
        {
            foreach (var id in articles)
            {
                writes.Remove(id);
            }

            foreach (var text in texts)
            {
                writes.Put(text);
            }

            Index.Execute(SaveState, new { Source = source, Applied = upTo }, writing);
            writing.Commit();
        }

        Interlocked.Exchange(ref applied, upTo);
        return true;
    }

    // The log only needs what the file has not applied. Pruned when the database is free this instant, never waited for:
    // a long import holds the write turn, and whole-document writers prune too (Transfer/DocumentStore.cs).
    private void TryPrune()
    {
        var upTo = Applied;
        if (upTo - pruned < 1000)
        {
            return;
        }

        using var connection = (SqliteConnection?)database.TryOpenWriterAsync(TimeSpan.Zero).GetAwaiter().GetResult();
        if (connection is not null)
        {
            connection.Execute(Prune, new { Applied = upTo });
            pruned = upTo;
        }
    }

    /// <summary>Entries in and out of the index, within one of its transactions.</summary>
    internal sealed class Writes(SqliteConnection index, SqliteTransaction transaction) : IDisposable
    {
        private readonly PreparedCommands prepared = new(index, transaction);
        private PreparedCommands.Statement? remove;
        private PreparedCommands.Statement? insert;

        /// <summary>Adds articles' entries; <paramref name="replaces"/> when the file may already hold them.</summary>
        public void Put(IReadOnlyList<SearchText> texts, bool replaces)
        {
            foreach (var text in texts)
            {
                if (replaces)
                {
                    Remove(text.Id);
                }

                Put(text);
            }
        }

        public void Put(SearchText text) =>
            (insert ??= prepared.Prepare(InsertEntry, "@Id", "@Title", "@Standfirst", "@Byline", "@Headings", "@Bodies"))
            .Execute(text.Id, text.Title, text.Standfirst, text.Byline, text.Headings, text.Bodies);

        public void Remove(long id) => (remove ??= prepared.Prepare(RemoveEntry, "@Id")).Execute(id);

        public void Dispose() => prepared.Dispose();
    }

    private sealed record StateRow(string Source, long Applied);
}
