using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>
/// One prepared command per SQL text, reused for the life of a transaction. For bulk writes (an import runs the
/// same few INSERTs hundreds of thousands of times): Dapper creates, and SQLite re-compiles, a command per call,
/// and compiling an INSERT also compiles the triggers and foreign-key checks it fires, which costs more than
/// running it. Values are bound in the order the names were first given; null, bool and <see cref="DateTimeOffset"/>
/// are stored as Dapper would.
/// </summary>
internal sealed class PreparedCommands(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    // Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway, and these run in a loop.

    /// <summary>The first column of the first row as an integer (an id), or null when there is no row.</summary>
    public long? ScalarLong(string sql, params ReadOnlySpan<(string Name, object? Value)> values) =>
        Bind(sql, values).ExecuteScalar() is long value ? value : null;

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> values) =>
        Bind(sql, values).ExecuteNonQuery();

    /// <summary>
    /// Runs an INSERT and returns the new row's id. Cheaper than RETURNING, which needs a data reader per row;
    /// SQLite's last insert rowid is the statement's own row (a trigger's inserts do not change it once it ends).
    /// </summary>
    public long Insert(string sql, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        Bind(sql, values).ExecuteNonQuery();
        return SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> values)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, _) in values)
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            command.Prepare();
            commands[sql] = command;
        }

        // Bound by position: the parameters were added in this order when the command was prepared (the same call site
        // always passes the same names in the same order), and looking each up by name was measurable in an import.
        var parameters = command.Parameters;
        for (var i = 0; i < values.Length; i++)
        {
            System.Diagnostics.Debug.Assert(parameters[i].ParameterName == values[i].Name, "same names, same order");
            parameters[i].Value = values[i].Value switch
            {
                null => DBNull.Value,
                bool flag => flag ? 1L : 0L,
                DateTimeOffset time => Timestamps.ToText(time),
                var other => other,
            };
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
    }
}

/// <summary>
/// Settings for one bulk write (an import) on a connection, until disposed:
/// <list type="bullet">
/// <item>a 256 MB page cache instead of SQLite's 2 MB: a bulk write touches index pages all over the file, and with
/// the default cache it re-reads and spills them constantly;</item>
/// <item>no automatic checkpoint inside the commit: the caller runs <see cref="Checkpoint"/> after it, while the search
/// indexer commits the same write's entries on its own thread. Copying a 50,000-article import's ~550 MB of WAL into
/// the database took ~0.9 s, and the search commit ~0.3 s after it; side by side, the write answers ~0.3 s sooner.
/// The connection keeps its write turn meanwhile, so the next write starts on a checkpointed WAL, from its start.</item>
/// </list>
/// </summary>
internal sealed class BulkWriteSettings : IDisposable
{
    private readonly SqliteConnection connection;

    public BulkWriteSettings(SqliteConnection connection)
    {
        this.connection = connection;
        Run("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0");
    }

    /// <summary>Copies the committed WAL into the database file, without waiting for readers (PASSIVE).</summary>
    public void Checkpoint() => Run("PRAGMA wal_checkpoint(PASSIVE)");

    public void Dispose()
    {
        Run("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA wal_autocheckpoint = 1000; PRAGMA shrink_memory");
        NativeMemory.ReturnFreedToSystem();
    }

    private void Run(string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }
}
