using System.Data.Common;

namespace Cms.Api.Data;

/// <summary>
/// A connection for a read that runs the same statement as many others (a public page by id or by slug), with the
/// command for each statement made once. SQLite compiles a statement whenever a new command runs it, a large share of
/// the work of reading a page from its stored JSON: its sessions stay open between requests, each statement compiled
/// once (<see cref="SqliteDatabase.OpenReadSessionAsync"/>). On PostgreSQL a session is a connection for one request
/// from a multiplexed pool (<see cref="Postgres.PostgresDatabase.OpenReadSessionAsync"/>), which keeps repeated
/// statements prepared itself.
/// </summary>
public sealed class ReadSession : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> commands = new(StringComparer.Ordinal);
    private readonly Action<ReadSession>? release;

    /// <param name="connection">An open connection, the session's own.</param>
    /// <param name="release">What ending a kept session does (keep it for the next read); null: end it.</param>
    internal ReadSession(DbConnection connection, Action<ReadSession>? release)
    {
        Connection = connection;
        this.release = release;
    }

    internal DbConnection Connection { get; }

    /// <summary>Whether a read of this session failed part-way: it is then ended, never kept (see <see cref="ReadAsync"/>).</summary>
    internal bool Failed { get; private set; }

    /// <summary>
    /// Runs <paramref name="sql"/> with its one parameter <paramref name="name"/> set to <paramref name="value"/>, and
    /// returns what <paramref name="read"/> makes of its rows.
    /// </summary>
    public async Task<T> ReadAsync<T>(string sql, string name, object value, Func<DbDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        var command = Command(sql, name);
        command.Parameters[0].Value = value;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await read(reader);
        }
        catch
        {
            // Whatever failed (a cancelled request, the disk), the connection may be left mid-statement, and a kept one
            // would hold its read open, and the log with it.
            Failed = true;
            throw;
        }
    }

    private DbCommand Command(string sql, string name)
    {
        if (commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        if (release is not null)
        {
            command.Prepare();
        }

        commands[sql] = command;
        return command;
    }

    public ValueTask DisposeAsync()
    {
        (release ?? (session => session.Close()))(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Ends the session for good: its commands and its connection.</summary>
    internal void Close()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
        Connection.Dispose();
    }
}
