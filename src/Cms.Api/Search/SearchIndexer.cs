using System.Collections.Concurrent;
using Cms.Api.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Search;

/// <summary>
/// The only writer of the full-text index's file (<see cref="CmsDatabase.SearchPath"/>), on a thread of its own, so
/// that search work runs beside the database's one writer instead of inside it (migration 0010).
/// <list type="bullet">
/// <item>After a write that changed searchable text, <see cref="CatchUpAsync"/> applies every change recorded in
/// search_changes so far; the API's writes wait for it before answering, so a writer's next search sees its change.</item>
/// <item>A whole-document writer (import, PUT by slug) streams its articles' text in through a <see cref="SearchBatch"/>
/// while it writes the rows: the indexer tokenizes them at the same time, in its own transaction, and commits it
/// right after the database commits.</item>
/// <item>On start it redoes changes it had not applied (a crash between the two commits), and rebuilds the file from
/// the stored text when the file is new, belongs to another database, or has applied changes this database never
/// recorded (a backup of it was restored). Searches meanwhile find only what is rebuilt so far.</item>
/// </list>
/// </summary>
public sealed class SearchIndexer(CmsDatabase database, ILogger<SearchIndexer> logger) : IHostedService, IDisposable
{
    // Bounded so that an import cannot run ahead of the indexer by more than this many hand-overs (of up to
    // DocumentStore's 256 articles each).
    private readonly BlockingCollection<Work> queue = new(boundedCapacity: 16);
    private readonly Lock startLock = new();
    private Thread? thread;
    private SqliteConnection? index;
    private SqliteTransaction? batch;
    private PreparedCommands? batchWrites;
    private bool batchFailed;
    private bool batchOpen;

    // Catch-ups asked for while a batch is open (the batch's writer holds the write turn, so they asked about changes
    // committed before it opened, which it applied first); answered when it closes, after one more pass.
    private readonly List<TaskCompletionSource> waitingForBatch = [];
    private long applied;
    private long pruned;
    private string source = "";
    private bool stopped;

    private const int RebuildCommitEvery = 10_000;

    private const string SelectSource = "SELECT token FROM search_source";
    private const string SelectState = "SELECT source AS Source, applied AS Applied FROM search_state";
    private const string SelectChanges = "SELECT id, article_id FROM search_changes WHERE id > @Applied ORDER BY id LIMIT @Limit";
    private const int ApplySlice = 5000;
    private const string SelectText = $"SELECT id AS Id, {SearchIndex.Columns} FROM articles_search WHERE id IN (SELECT value FROM json_each(@Ids))";
    private const string SelectAllText = $"SELECT id, {SearchIndex.Columns} FROM articles_search ORDER BY id";
    private const string Remove = "DELETE FROM articles_fts WHERE rowid = @Id";
    private const string Insert = $"INSERT INTO articles_fts (rowid, {SearchIndex.Columns}) VALUES (@Id, @Title, @Standfirst, @Byline, @Headings, @Bodies)";
    private const string SaveState = "INSERT OR REPLACE INTO search_state (id, source, applied) VALUES (1, @Source, @Applied)";
    private const string Prune = "DELETE FROM search_changes WHERE id <= @Applied";

    /// <summary>The last recorded change the index reflects, committed in its file.</summary>
    public long Applied => Interlocked.Read(ref applied);

    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the start's own work is done: changes left unapplied applied, or the file rebuilt.</summary>
    public Task Started => started.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => Stop();

    // Finishes the queued work (a batch's commit among it) before the process ends.
    private void Stop()
    {
        lock (startLock)
        {
            if (stopped)
            {
                return;
            }

            stopped = true;
        }

        queue.CompleteAdding();
        if (thread?.Join(TimeSpan.FromSeconds(30)) != false)
        {
            index?.Dispose();
        }
    }

    /// <summary>Completes once every change committed before the call is in the index.</summary>
    public Task CatchUpAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new CatchUp(done));
        return done.Task;
    }

    /// <summary>
    /// Opens a batch for a whole-document writer. Call it holding the database's write turn, before writing: the indexer
    /// first applies whatever was committed before, then takes the batch's entries in its own transaction.
    /// </summary>
    internal SearchBatch BeginBatch()
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new BatchOpen(opened));
        return new SearchBatch(this, opened.Task);
    }

    private void Enqueue(Work work)
    {
        EnsureStarted();
        try
        {
            queue.Add(work);
        }
        catch (InvalidOperationException) when (queue.IsAddingCompleted)
        {
            // Shutting down: nothing more is applied now; the log has it for the next start.
            (work as CatchUp)?.Done.TrySetResult();
            (work as BatchClose)?.Done.TrySetResult();
            (work as BatchOpen)?.Done.TrySetResult();
        }
    }

    // The file and its tables exist before any reader attaches it; the work that may take long (a rebuild) runs on the thread.
    private void EnsureStarted()
    {
        lock (startLock)
        {
            if (thread is not null || stopped)
            {
                return;
            }

            index = OpenFile();
            thread = new Thread(Run) { IsBackground = true, Name = "search indexer" };
            queue.Add(new Startup());
            thread.Start();
        }
    }

    // The file is derived data: one that SQLite cannot read is deleted and built again (Start finds no state in it).
    private SqliteConnection OpenFile()
    {
        try
        {
            return OpenAndCreateTables();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            logger.LogWarning(exception, "Search index: {Path} cannot be read; building it again from the stored text", database.SearchPath);
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database.SearchPath + suffix);
            }

            return OpenAndCreateTables();
        }
    }

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

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private void Run()
    {
        foreach (var work in queue.GetConsumingEnumerable())
        {
            try
            {
                Do(work);
            }
            catch (Exception exception)
            {
                // The database is the source of truth: what failed here is redone from search_changes on the next catch-up.
                logger.LogError(exception, "Search indexer: {Work} failed", work.GetType().Name);
                if (batchOpen)
                {
                    batchFailed = true;
                }

                (work as CatchUp)?.Done.TrySetException(exception); // batch opens and closes answer in their own finally
            }
        }
    }

    private void Do(Work work)
    {
        switch (work)
        {
            case Startup:
                try
                {
                    Start();
                }
                finally
                {
                    started.TrySetResult();
                }

                break;
            case CatchUp catchUp when batchOpen:
                waitingForBatch.Add(catchUp.Done);
                break;
            case CatchUp catchUp:
                ApplyChanges();
                catchUp.Done.TrySetResult();
                break;
            case BatchOpen open:
                batchOpen = true;
                batchFailed = true; // until it is open: its entries are skipped, and its close redoes them from the log
                try
                {
                    ApplyChanges();
                    batch = index!.BeginTransaction(deferred: false);
                    batchWrites = new PreparedCommands(index, batch);
                    batchFailed = false;
                }
                finally
                {
                    open.Done.TrySetResult();
                }

                break;
            case BatchEntry entry when !batchFailed:
                foreach (var text in entry.Texts)
                {
                    if (entry.Replaces)
                    {
                        batchWrites!.Execute(Remove, ("@Id", text.Id));
                    }

                    Put(batchWrites!, text);
                }

                break;
            case BatchEntry:
                break;
            case BatchClose close:
                CloseBatch(close);
                break;
        }
    }

    private void CloseBatch(BatchClose close)
    {
        var open = batch;
        batch = null;
        batchWrites?.Dispose();
        batchWrites = null;
        try
        {
            if (close.UpTo is { } upTo && !batchFailed)
            {
                upTo = Math.Max(upTo, Applied);
                index!.Execute(SaveState, new { Source = source, Applied = upTo }, open);
                open!.Commit();
                Interlocked.Exchange(ref applied, upTo);
            }
            else
            {
                open?.Rollback();
                if (close.UpTo is not null)
                {
                    ApplyChanges(); // the database committed what the batch failed to index: redo it from the log
                }
            }
        }
        finally
        {
            open?.Dispose();
            batchOpen = false;
            close.Done.TrySetResult();
            AnswerWaitingCatchUps();
        }
    }

    private void AnswerWaitingCatchUps()
    {
        if (waitingForBatch.Count == 0)
        {
            return;
        }

        try
        {
            ApplyChanges();
            waitingForBatch.ForEach(done => done.TrySetResult());
        }
        catch (Exception exception)
        {
            waitingForBatch.ForEach(done => done.TrySetException(exception));
        }

        waitingForBatch.Clear();
    }

    // Not CmsDatabase.OpenAsync: its connections count commands so that tests can prove a page is one round trip, and
    // this thread's reads, running beside a request, would show up in that count.
    private SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        return connection;
    }

    private void Start()
    {
        using var connection = OpenDatabase();
        source = connection.ExecuteScalar<string>(SelectSource)!;
        var state = index!.QuerySingleOrDefault<StateRow>(SelectState);
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

    // One read snapshot of the database; the file commits every RebuildCommitEvery articles, and records whose index it is
    // only at the end, so that a rebuild cut short starts again. Returns how many articles it indexed.
    private long Rebuild(SqliteConnection connection)
    {
        using var snapshot = connection.BeginTransaction(deferred: true);
        var upTo = connection.ExecuteScalar<long>(SearchIndex.LastChange, transaction: snapshot);
        var writing = index!.BeginTransaction(deferred: false);
        var writes = new PreparedCommands(index, writing);
        var count = 0L;
        try
        {
            index.Execute("DELETE FROM search_state; INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')", transaction: writing);
            using (var reader = connection.ExecuteReader(SelectAllText, transaction: snapshot))
            {
                while (reader.Read())
                {
                    Put(writes, TextRow.Read(reader));
                    if (++count % RebuildCommitEvery == 0)
                    {
                        writes.Dispose();
                        writing.Commit();
                        writing.Dispose();
                        writing = index.BeginTransaction(deferred: false);
                        writes = new PreparedCommands(index, writing);
                    }
                }
            }

            index.Execute(SaveState, new { Source = source, Applied = upTo }, writing);
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

    // In slices of ApplySlice log entries, each its own read snapshot and commit: after a crash in the middle of a large
    // import the log holds a whole chunk's articles, and their text should not all be in memory at once. Applying an
    // article twice is harmless (out by id, in with its current text).
    private void ApplyChanges()
    {
        while (ApplySliceOfChanges())
        {
        }

        TryPrune();
    }

    private bool ApplySliceOfChanges()
    {
        long upTo;
        List<long> articles;
        List<TextRow> texts = [];
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
                texts.AddRange(TextRow.ReadAll(connection, snapshot, SelectText, ("@Ids", "[" + string.Join(',', chunk) + "]")));
            }
        }

        using (var writing = index!.BeginTransaction(deferred: false))
        using (var writes = new PreparedCommands(index, writing))
        {
            foreach (var id in articles)
            {
                writes.Execute(Remove, ("@Id", id));
            }

            foreach (var text in texts)
            {
                Put(writes, text);
            }

            index.Execute(SaveState, new { Source = source, Applied = upTo }, writing);
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

        using var connection = database.TryOpenWriterAsync(TimeSpan.Zero).GetAwaiter().GetResult();
        if (connection is not null)
        {
            connection.Execute(Prune, new { Applied = upTo });
            pruned = upTo;
        }
    }

    private static void Put(PreparedCommands writes, TextRow text) => writes.Execute(
        Insert,
        ("@Id", text.Id),
        ("@Title", text.Title),
        ("@Standfirst", text.Standfirst),
        ("@Byline", text.Byline),
        ("@Headings", text.Headings),
        ("@Bodies", text.Bodies));

    internal void Add(BatchEntry entry) => Enqueue(entry);

    internal Task Close(long? upTo)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new BatchClose(upTo, done));
        return done.Task;
    }

    /// <summary>An article's searchable text, as the articles_search view gives it.</summary>
    internal sealed record TextRow(long Id, string? Title, string? Standfirst, string? Byline, string Headings, string Bodies)
    {
        // Read by hand: the view's headings and bodies are expressions with no declared type, which Dapper would take for blobs.
        public static TextRow Read(System.Data.IDataRecord row) => new(
            row.GetInt64(0),
            row.IsDBNull(1) ? null : row.GetString(1),
            row.IsDBNull(2) ? null : row.GetString(2),
            row.IsDBNull(3) ? null : row.GetString(3),
            row.GetString(4),
            row.GetString(5));

        /// <summary>Runs <paramref name="sql"/> (selecting id and <see cref="SearchIndex.Columns"/>) and reads every row.</summary>
        public static List<TextRow> ReadAll(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            using var reader = command.ExecuteReader();
            var rows = new List<TextRow>();
            while (reader.Read())
            {
                rows.Add(Read(reader));
            }

            return rows;
        }
    }

    private sealed record StateRow(string Source, long Applied);

    internal abstract record Work;

    private sealed record Startup : Work;

    private sealed record CatchUp(TaskCompletionSource Done) : Work;

    private sealed record BatchOpen(TaskCompletionSource Done) : Work;

    internal sealed record BatchEntry(IReadOnlyList<TextRow> Texts, bool Replaces) : Work;

    // UpTo: the last change the database committed with the batch; null when it rolled back.
    private sealed record BatchClose(long? UpTo, TaskCompletionSource Done) : Work;
}

/// <summary>
/// A whole-document writer's stream of search entries (see <see cref="SearchIndexer"/>). Entries go in as the rows are
/// written; <see cref="CommitAsync"/> after the database commits; disposing it uncommitted rolls the entries back.
/// </summary>
internal sealed class SearchBatch(SearchIndexer indexer, Task opened) : IDisposable
{
    private bool closed;

    /// <summary>Completes once the indexer has opened the batch (it applied what was committed before, first).</summary>
    public Task Opened => opened;

    /// <summary>Queues articles' text, in order; <paramref name="replaces"/> when the index may already hold their entries.</summary>
    public void Put(IReadOnlyList<SearchIndexer.TextRow> texts, bool replaces) => indexer.Add(new SearchIndexer.BatchEntry(texts, replaces));

    /// <summary>Commits the entries; <paramref name="upTo"/> is the last change the database committed with them.</summary>
    public Task CommitAsync(long upTo)
    {
        closed = true;
        return indexer.Close(upTo);
    }

    public void Dispose()
    {
        if (!closed)
        {
            closed = true;
            _ = indexer.Close(null);
        }
    }
}

internal static class SearchIndexerEndpoints
{
    /// <summary>
    /// Writes through these endpoints answer only once the search index has their change (read-your-writes for
    /// search). Runs before the result is written. A failure there is logged, not answered: the write itself is
    /// committed, and the index catches up from the log on its next pass.
    /// </summary>
    public static TBuilder CatchUpSearchIndexAfterWrites<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                try
                {
                    await http.RequestServices.GetRequiredService<SearchIndexer>().CatchUpAsync();
                }
                catch (Exception exception)
                {
                    http.RequestServices.GetRequiredService<ILogger<SearchIndexer>>().LogError(exception, "Search index: catching up after a write failed");
                }
            }

            return result;
        });
}
