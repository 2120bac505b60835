using System.Data.Common;

namespace Cms.Api.Data;

/// <summary>
/// A connection for a read that runs the same statement as thousands of others (a public page by id or by slug), with
/// the command for each statement made once. SQLite compiles a statement whenever a new command runs it, and for a page
/// served from its stored JSON compiling costs about as much as running: its sessions stay open between requests, each
/// statement compiled once (<see cref="SqliteDatabase.OpenReadSessionAsync"/>). Elsewhere a session is a pooled
/// connection for one request (PostgreSQL keeps repeated statements prepared itself).
/// </summary>
public sealed class ReadSession : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> commands = new(StringComparer.Ordinal);
    private readonly Func<ReadSession, ValueTask>? release;

    /// <param name="connection">An open connection, the session's own.</param>
    /// <param name="release">What ending a kept session does (keep it for the next read); null: end it.</param>
    internal ReadSession(DbConnection connection, Func<ReadSession, ValueTask>? release)
    {
        Connection = connection;
        this.release = release;
    }

    internal DbConnection Connection { get; }

    /// <summary>
    /// The session's command for <paramref name="sql"/>, with a parameter for each of <paramref name="names"/> in that
    /// order: set their values, run it, dispose its reader before the session ends.
    /// </summary>
    public DbCommand Command(string sql, params string[] names)
    {
        if (commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        if (release is not null)
        {
            command.Prepare();
        }

        commands[sql] = command;
        return command;
    }

    public ValueTask DisposeAsync() => release is null ? CloseAsync() : release(this);

    /// <summary>Ends the session for good: its commands and its connection.</summary>
    internal async ValueTask CloseAsync()
    {
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync();
        }

        commands.Clear();
        await Connection.DisposeAsync();
    }

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
