using System.Collections.Concurrent;
using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Search;

/// <summary>
/// The only writer of the full-text index's file (<see cref="SearchIndexFile"/>), on a thread of its own, so that search
/// work runs beside the database's one writer instead of inside it (migration 0010).
/// <list type="bullet">
/// <item>After a write that changed searchable text, <see cref="CatchUpAsync"/> applies every change recorded in
/// search_changes so far; the API's writes wait for it before answering, so a writer's next search sees its change.</item>
/// <item>A whole-document writer (import, PUT by slug) streams its articles' text in through a <see cref="SearchBatch"/>
/// while it writes the rows: the indexer tokenizes them at the same time, in its own transaction, and commits it
/// right after the database commits.</item>
/// <item>On start it redoes changes it had not applied, or rebuilds the file (<see cref="SearchIndexFile.Start"/>).
/// Searches meanwhile find only what is rebuilt so far.</item>
/// </list>
/// </summary>
public sealed class SearchIndexer(SqliteDatabase database, ILogger<SearchIndexer> logger) : IHostedService, IDisposable
{
    // Bounded so that an import cannot run ahead of the indexer by more than this many hand-overs (of up to
    // DocumentStore's 256 articles each).
    private readonly BlockingCollection<Work> queue = new(boundedCapacity: 16);
    private readonly Lock startLock = new();
    private readonly SearchIndexFile file = new(database, logger);
    private Thread? thread;
    private bool stopped;

    // The open batch, if any. Until it is open (or once it failed) its entries are skipped, and its close redoes them from
    // the log.
    private SqliteTransaction? batch;
    private SearchIndexFile.Writes? batchWrites;
    private bool batchFailed;
    private bool batchOpen;

    // Catch-ups asked for while a batch is open (the batch's writer holds the write turn, so they asked about changes
    // committed before it opened, which it applied first); answered when it closes, after one more pass.
    private readonly List<TaskCompletionSource> waitingForBatch = [];

    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last recorded change the index reflects, committed in its file.</summary>
    public long Applied => file.Applied;

    /// <summary>The newest change to searchable text the database has logged (compare with <see cref="Behind"/>).</summary>
    public const string SelectNewestChange = "SELECT COALESCE(MAX(id), 0) FROM search_changes";

    /// <summary>How many changes, up to <paramref name="newestChange"/>, the index has still to apply.</summary>
    public long Behind(long newestChange) => Math.Max(0, newestChange - Applied);

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

    internal void Add(IReadOnlyList<SearchText> texts, bool replaces) => Enqueue(new BatchEntry(texts, replaces));

    internal Task Close(long? upTo)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new BatchClose(upTo, done));
        return done.Task;
    }

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
            file.Dispose();
        }
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

            file.Open();
            thread = new Thread(Run) { IsBackground = true, Name = "search indexer" };
            queue.Add(new Startup());
            thread.Start();
        }
    }

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
                    file.Start();
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
                file.ApplyChanges();
                catchUp.Done.TrySetResult();
                break;
            case BatchOpen open:
                batchOpen = true;
                batchFailed = true;
                try
                {
                    file.ApplyChanges();
                    (batch, batchWrites) = file.BeginBatch();
                    batchFailed = false;
                }
                finally
                {
                    open.Done.TrySetResult();
                }

                break;
            case BatchEntry entry when !batchFailed:
                batchWrites!.Put(entry.Texts, entry.Replaces);
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
                file.CommitBatch(open!, upTo);
            }
            else
            {
                open?.Rollback();
                if (close.UpTo is not null)
                {
                    file.ApplyChanges(); // the database committed what the batch failed to index: redo it from the log
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
            file.ApplyChanges();
            waitingForBatch.ForEach(done => done.TrySetResult());
        }
        catch (Exception exception)
        {
            waitingForBatch.ForEach(done => done.TrySetException(exception));
        }

        waitingForBatch.Clear();
    }

    private abstract record Work;

    private sealed record Startup : Work;

    private sealed record CatchUp(TaskCompletionSource Done) : Work;

    private sealed record BatchOpen(TaskCompletionSource Done) : Work;

    private sealed record BatchEntry(IReadOnlyList<SearchText> Texts, bool Replaces) : Work;

    // UpTo: the last change the database committed with the batch; null when it rolled back.
    private sealed record BatchClose(long? UpTo, TaskCompletionSource Done) : Work;
}
