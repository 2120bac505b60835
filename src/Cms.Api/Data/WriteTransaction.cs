using System.Diagnostics;
using Cms.Api.Instrumentation;
using Dapper;
using System.Data.Common;

namespace Cms.Api.Data;

/// <summary>
/// One write: a connection holding this process's write turn and a transaction that took the database's write lock at
/// its start. Its commands all run in the transaction and stop when the request that asked for them is abandoned.
/// Disposed without <see cref="CommitAsync"/>, it rolls back. A write names the public views it changes
/// (<see cref="Changed"/>); they are announced the moment it commits (<see cref="CmsDatabase.ChangesCommitted"/>), before
/// anyone is answered. An idempotent request's write is committed by the request itself, once its answer is recorded in
/// the same transaction (<see cref="DeferredCommit"/>).
/// </summary>
internal sealed class WriteTransaction : IAsyncDisposable
{
    private readonly CmsDatabase database;
    private HashSet<string>? changed;
    private List<OutboxEvent>? events;
    private List<long>? revised;
    private List<Func<Task>>? afterCommit;
    private List<Action>? afterRollback;
    private IDisposable? settings;
    private bool deferred;
    private Activity? span;
    private long started;
    private bool committed;

    private WriteTransaction(CmsDatabase database, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        this.database = database;
        Connection = connection;
        Transaction = transaction;
        CancellationToken = cancellationToken;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Begins a write. <paramref name="settings"/>, when given, sets up the connection before the transaction begins (some
    /// settings cannot change inside one) and is disposed when the write ends, before the connection goes back to the pool.
    /// </summary>
    public static async Task<WriteTransaction> BeginAsync(
        CmsDatabase database, CancellationToken cancellationToken, Func<DbConnection, IDisposable>? settings = null)
    {
        var waiting = Stopwatch.GetTimestamp();
        var span = Instruments.Start("db.write");
        DbConnection? connection = null;
        IDisposable? applied = null;
        try
        {
            connection = await database.OpenWriterAsync(cancellationToken);
            Instruments.WriteWait.Record(Stopwatch.GetElapsedTime(waiting).TotalSeconds);
            applied = settings?.Invoke(connection);
            return new WriteTransaction(database, connection, await database.BeginWriteAsync(connection, cancellationToken), cancellationToken)
            {
                settings = applied,
                span = span,
                started = Stopwatch.GetTimestamp(),
            };
        }
        catch
        {
            applied?.Dispose();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            span?.Dispose();
            throw;
        }
    }

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => Connection.ExecuteAsync(Command(sql, parameters));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) => Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters = null) => Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T> SingleAsync<T>(string sql, object? parameters = null) => Connection.QuerySingleAsync<T>(Command(sql, parameters));

    public async Task<List<T>> ListAsync<T>(string sql, object? parameters = null) => (await Connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    /// <summary>Runs a command that is not stopped by the request going away (recording what a write answered).</summary>
    public Task<int> ExecuteToEndAsync(string sql, object? parameters = null) => Connection.ExecuteAsync(new CommandDefinition(sql, parameters, Transaction));

    /// <summary>The public views this write has named so far (surrogate keys).</summary>
    internal IReadOnlyCollection<string> ChangedViews => changed ?? (IReadOnlyCollection<string>)[];

    /// <summary>Names public views this write changes (surrogate keys), to be announced when it commits.</summary>
    public void Changed(params IEnumerable<string> keys)
    {
        changed ??= new HashSet<string>(StringComparer.Ordinal);
        changed.UnionWith(keys);
    }

    /// <summary>Announces a change to webhooks: written to the outbox in this transaction (<see cref="OutboxEvent"/>).</summary>
    public void Emit(OutboxEvent outboxEvent) => (events ??= []).Add(outboxEvent);

    internal IReadOnlyList<OutboxEvent> Events => events ?? (IReadOnlyList<OutboxEvent>)[];

    /// <summary>
    /// Names articles whose documents a write replaced without naming each one's views (an import names every view
    /// instead): their revisions are recorded like those of the articles named by <see cref="Changed"/>.
    /// </summary>
    public void Revised(IEnumerable<long> articleIds) => (revised ??= []).AddRange(articleIds);

    internal IReadOnlyList<long> RevisedArticles => revised ?? (IReadOnlyList<long>)[];

    /// <summary>
    /// Whether this write may have changed an article's document: every such change names its views or its revised
    /// articles. One that did neither (a reader's pending comment) has made no page or search document due.
    /// </summary>
    internal bool MayChangeDocuments => changed is { Count: > 0 } || revised is { Count: > 0 };

    /// <summary>Work that must follow the commit (an index's own commit, a checkpoint), done before anyone is answered.</summary>
    public void AfterCommit(Func<Task> action) => (afterCommit ??= []).Add(action);

    /// <summary>Work that must follow if the write ends without committing (an index's entries for it rolled back too).</summary>
    public void AfterRollback(Action action) => (afterRollback ??= []).Add(action);

    /// <summary>
    /// Commits, announces what changed and runs what must follow. Not cancellable: a write that got this far is kept,
    /// whatever became of the request. In an idempotent request the request commits it instead, later, with its answer.
    /// </summary>
    public Task CommitAsync()
    {
        if (!deferred && DeferredCommit.TryAdopt(this))
        {
            deferred = true;
            return Task.CompletedTask;
        }

        return CommitNowAsync();
    }

    internal async Task CommitNowAsync()
    {
        foreach (var work in database.BeforeCommit)
        {
            await work(this);
        }

        await Transaction.CommitAsync(CancellationToken.None);
        committed = true;
        if (changed is { Count: > 0 })
        {
            database.Announce(changed);
        }

        foreach (var action in afterCommit ?? [])
        {
            await action();
        }
    }

    /// <summary>Ends the write: rolls it back unless it committed; a write handed to its request is the request's to end.</summary>
    public ValueTask DisposeAsync() => deferred && !committed ? ValueTask.CompletedTask : EndAsync();

    internal async ValueTask EndAsync()
    {
        deferred = false;
        await Transaction.DisposeAsync();
        if (!committed)
        {
            foreach (var action in afterRollback ?? [])
            {
                action();
            }
        }

        settings?.Dispose();
        await Connection.DisposeAsync();
        Instruments.DatabaseDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("kind", "write"));
        span?.SetTag("committed", committed);
        span?.Dispose();
    }

    private CommandDefinition Command(string sql, object? parameters) => new(sql, parameters, Transaction, cancellationToken: CancellationToken);
}

/// <summary>The writes every store makes the same way.</summary>
internal static class Writes
{
    public static Task<WriteTransaction> BeginWriteAsync(
        this CmsDatabase database, CancellationToken cancellationToken, Func<DbConnection, IDisposable>? settings = null) =>
        WriteTransaction.BeginAsync(database, cancellationToken, settings);

    /// <summary>
    /// Changes one existing row: reads it (by @Id) in a write transaction, answers NotFound when it is missing and Stale
    /// when <paramref name="precondition"/> (If-Match) refuses it, otherwise runs <paramref name="change"/> and commits
    /// when it saved. The check and the change see the same row: nothing can slip in between.
    /// </summary>
    public static async Task<WriteResult<TRow>> ChangeRowAsync<TRow>(
        this CmsDatabase database, string selectById, long id, Func<TRow, bool> precondition,
        Func<WriteTransaction, TRow, Task<WriteResult<TRow>>> change, CancellationToken cancellationToken)
        where TRow : class
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var current = await write.SingleOrDefaultAsync<TRow>(selectById, new { Id = id });
        if (current is null)
        {
            return WriteResult<TRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<TRow>.Stale(current);
        }

        var result = await change(write, current);
        if (result.Outcome == WriteOutcome.Saved)
        {
            await write.CommitAsync();
        }

        return result;
    }

    /// <summary>
    /// <see cref="ChangeRowAsync{TRow}"/> for an edit: <paramref name="propose"/> turns the current row into the fields
    /// to write (a PATCH merges into it, so it runs here, on the row the precondition accepted); when they are not
    /// valid, nothing is written and the errors are the answer.
    /// </summary>
    public static Task<WriteResult<TRow>> EditRowAsync<TRow, TFields>(
        this CmsDatabase database, string selectById, long id, Func<TRow, bool> precondition, Func<TRow, Proposed<TFields>> propose,
        Func<WriteTransaction, TRow, TFields, Task<WriteResult<TRow>>> apply, CancellationToken cancellationToken)
        where TRow : class
        where TFields : class =>
        database.ChangeRowAsync<TRow>(selectById, id, precondition, (write, current) =>
        {
            var proposed = propose(current);
            return proposed.Value is { } fields ? apply(write, current, fields) : Task.FromResult(WriteResult<TRow>.Invalid(proposed.Errors!));
        }, cancellationToken);
}

/// <summary>Reads on a pooled connection of their own, stopped when the request that asked for them is abandoned.</summary>
internal static class Reads
{
    public static async Task<T?> SingleOrDefaultAsync<T>(this CmsDatabase database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        using var measured = new MeasuredRead();
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public static async Task<List<T>> ListAsync<T>(this CmsDatabase database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        using var measured = new MeasuredRead();
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>A read's span and its time in <see cref="Instruments.DatabaseDuration"/> (kind=read).</summary>
    private readonly struct MeasuredRead() : IDisposable
    {
        private readonly long started = Stopwatch.GetTimestamp();
        private readonly Activity? span = Instruments.Start("db.read");

        public void Dispose()
        {
            Instruments.DatabaseDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("kind", "read"));
            span?.Dispose();
        }
    }
}
