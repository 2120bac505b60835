using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cms.Api.Data;

/// <summary>
/// One prepared statement per SQL text, reused for the life of a transaction. For bulk writes (an import runs the
/// same few INSERTs hundreds of thousands of times): Dapper creates, and SQLite re-compiles, a command per call,
/// and compiling an INSERT also compiles the triggers and foreign-key checks it fires, which costs more than
/// running it. Values are bound in the order the names were first given; null, bool and <see cref="DateTimeOffset"/>
/// are stored as Dapper would. Errors throw <see cref="SqliteException"/>, as Microsoft.Data.Sqlite's commands do.
/// </summary>
/// <remarks>
/// The statements are SQLite's own (SQLitePCL), not <see cref="SqliteCommand"/>s: binding and stepping through
/// Microsoft.Data.Sqlite cost 2.1-2.3 µs per 10-value INSERT against 0.9-1.2 µs directly, measured in a loop of
/// 300,000, and an import's writer thread, the one it waits for, runs ~925,000 of them per 50,000 articles.
/// The caller's transaction is the connection's (SQLite has one per connection); it must not be committed while a
/// statement is mid-step, and none is: every call resets its statements before it returns. Unlike a SqliteCommand,
/// nothing here retries a busy database: callers hold an IMMEDIATE transaction, which took the write lock at BEGIN.
/// </remarks>
internal sealed class PreparedCommands(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, Prepared> statements = new(StringComparer.Ordinal);

    // The last time bound, as text: a bulk write binds the same "now" to every row, and formatting it each time showed.
    private DateTimeOffset lastTime;
    private string? lastTimeText;

    // Synchronous on purpose: SQLite's calls are synchronous, and these run in a loop.

    /// <summary>The first column of the first row as an integer (an id), or null when there is no row.</summary>
    public long? ScalarLong(string sql, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        Run(sql, values, out var first);
        return first;
    }

    /// <summary>Runs the SQL (one statement or several) and returns how many rows its writes changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> values) => Run(sql, values, out _);

    /// <summary>
    /// Runs an INSERT and returns the new row's id. Cheaper than RETURNING, which needs a row read back per insert;
    /// SQLite's last insert rowid is the statement's own row (a trigger's inserts do not change it once it ends).
    /// </summary>
    public long Insert(string sql, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        Run(sql, values, out _);
        return raw.sqlite3_last_insert_rowid(connection.Handle);
    }

    // Returns the rows changed, and the first row's first column when it is an integer.
    private int Run(string sql, ReadOnlySpan<(string Name, object? Value)> values, out long? first)
    {
        first = null;
        var read = false;
        if (connection.Handle is not { } db || transaction.Connection != connection)
        {
            throw new InvalidOperationException("Prepared commands run on an open connection, inside its transaction.");
        }

        if (!statements.TryGetValue(sql, out var prepared))
        {
            prepared = Prepare(db, sql, values);
            statements[sql] = prepared;
        }

        var changes = 0;
        foreach (var (statement, slots) in prepared.Statements)
        {
            try
            {
                for (var i = 0; i < slots.Length; i++)
                {
                    System.Diagnostics.Debug.Assert(prepared.Names[i] == values[i].Name, "same names, same order");
                    if (slots[i] > 0)
                    {
                        Bind(statement, slots[i], values[i].Value);
                    }
                }

                int rc;
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    if (!read && raw.sqlite3_column_type(statement, 0) == raw.SQLITE_INTEGER)
                    {
                        first = raw.sqlite3_column_int64(statement, 0);
                    }

                    read = true;
                }

                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                if (raw.sqlite3_stmt_readonly(statement) == 0)
                {
                    changes += raw.sqlite3_changes(db);
                }
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }

        return changes;
    }

    private void Bind(sqlite3_stmt statement, int slot, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, slot),
            string text => raw.sqlite3_bind_text(statement, slot, text),
            long number => raw.sqlite3_bind_int64(statement, slot, number),
            int number => raw.sqlite3_bind_int64(statement, slot, number),
            bool flag => raw.sqlite3_bind_int64(statement, slot, flag ? 1 : 0),
            DateTimeOffset time => raw.sqlite3_bind_text(statement, slot, TimeText(time)),
            double number => raw.sqlite3_bind_double(statement, slot, number),
            _ => throw new NotSupportedException($"No binding for a {value.GetType().Name}: convert it before it reaches SQL."),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"Binding parameter {slot} failed: SQLite error {rc}.");
        }
    }

    private string TimeText(DateTimeOffset time)
    {
        if (lastTimeText is null || !time.EqualsExact(lastTime))
        {
            lastTimeText = Timestamps.ToText(time);
            lastTime = time;
        }

        return lastTimeText;
    }

    // Every statement in the text, with where each given value goes in it (0: not used there). A parameter the values
    // do not name would silently be NULL, so it is an error, as it is for a SqliteCommand.
    private static Prepared Prepare(sqlite3 db, string sql, ReadOnlySpan<(string Name, object? Value)> values)
    {
        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            names[i] = values[i].Name;
        }

        var list = new List<(sqlite3_stmt, int[])>();
        try
        {
            var rest = sql;
            while (!string.IsNullOrWhiteSpace(rest))
            {
                var rc = raw.sqlite3_prepare_v2(db, rest, out sqlite3_stmt statement, out string tail);
                if (rc != raw.SQLITE_OK)
                {
                    statement?.Dispose();
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                rest = tail;
                if (statement is null || statement.IsInvalid)
                {
                    statement?.Dispose();
                    continue; // only a comment or a stray semicolon
                }

                var slots = new int[names.Length];
                var used = 0;
                for (var i = 0; i < names.Length; i++)
                {
                    slots[i] = raw.sqlite3_bind_parameter_index(statement, names[i]);
                    used += slots[i] > 0 ? 1 : 0;
                }

                list.Add((statement, slots));
                if (used != raw.sqlite3_bind_parameter_count(statement))
                {
                    throw new InvalidOperationException($"A parameter of this SQL has no value: {sql}");
                }
            }
        }
        catch
        {
            foreach (var (statement, _) in list)
            {
                statement.Dispose();
            }

            throw;
        }

        return new Prepared(names, [.. list]);
    }

    public void Dispose()
    {
        foreach (var prepared in statements.Values)
        {
            foreach (var (statement, _) in prepared.Statements)
            {
                statement.Dispose(); // finalizes it
            }
        }

        statements.Clear();
    }

    private sealed record Prepared(string[] Names, (sqlite3_stmt Statement, int[] Slots)[] Statements);
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
