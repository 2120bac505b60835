using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>
/// One write: a connection holding this process's write turn and a transaction that took the database's write lock at
/// its start. Its commands all run in the transaction and stop when the request that asked for them is abandoned.
/// Disposed without <see cref="CommitAsync"/>, it rolls back.
/// </summary>
internal sealed class WriteTransaction : IAsyncDisposable
{
    private WriteTransaction(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        Connection = connection;
        Transaction = transaction;
        CancellationToken = cancellationToken;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    public CancellationToken CancellationToken { get; }

    public static async Task<WriteTransaction> BeginAsync(CmsDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenWriterAsync(cancellationToken);
        try
        {
            return new WriteTransaction(connection, CmsDatabase.BeginWrite(connection), cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => Connection.ExecuteAsync(Command(sql, parameters));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) => Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters = null) => Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T> SingleAsync<T>(string sql, object? parameters = null) => Connection.QuerySingleAsync<T>(Command(sql, parameters));

    public async Task<List<T>> ListAsync<T>(string sql, object? parameters = null) => (await Connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    /// <summary>Commits. Not cancellable: a write that got this far is kept, whatever became of the request.</summary>
    public Task CommitAsync() => Transaction.CommitAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }

    private CommandDefinition Command(string sql, object? parameters) => new(sql, parameters, Transaction, cancellationToken: CancellationToken);
}

/// <summary>The writes every store makes the same way.</summary>
internal static class Writes
{
    public static Task<WriteTransaction> BeginWriteAsync(this CmsDatabase database, CancellationToken cancellationToken) =>
        WriteTransaction.BeginAsync(database, cancellationToken);

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
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public static async Task<List<T>> ListAsync<T>(this CmsDatabase database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }
}
