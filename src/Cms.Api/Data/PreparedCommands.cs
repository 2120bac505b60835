using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cms.Api.Data;

/// <summary>
/// Statements prepared once and run many times inside one transaction, for bulk writes (an import runs the same few
/// INSERTs hundreds of thousands of times): Dapper creates, and SQLite re-compiles, a command per call, and compiling an
/// INSERT also compiles the triggers and foreign-key checks it fires, which costs more than running it.
/// <see cref="Prepare"/> names a statement's parameters once, and checks them against its SQL then: every parameter the
/// SQL has must be named, and every name must be one the SQL has. Runs then pass values in that order. Null, bool and
/// <see cref="DateTimeOffset"/> are stored as Dapper would; errors throw <see cref="SqliteException"/>, as
/// Microsoft.Data.Sqlite's commands do.
/// </summary>
/// <remarks>
/// The statements are SQLite's own (SQLitePCL), not <see cref="SqliteCommand"/>s, whose binding and stepping cost about as
/// much again per row, on the thread an import waits for. The caller's transaction is the connection's (SQLite has one
/// per connection); it must not be committed while a statement is mid-step, and none is: every run resets its statements
/// before it returns. Unlike a SqliteCommand, nothing here retries a busy database: callers hold an IMMEDIATE transaction,
/// which took the write lock at BEGIN.
/// </remarks>
internal sealed class PreparedCommands(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private readonly List<Statement> prepared = [];

    // The last time bound, as text: a bulk write binds the same "now" to every row.
    private DateTimeOffset lastTime;
    private string? lastTimeText;

    /// <summary>Prepares <paramref name="sql"/> (one statement or several) whose parameters are <paramref name="names"/>, in the order runs give their values.</summary>
    public Statement Prepare(string sql, params string[] names)
    {
        if (connection.Handle is not { } db || transaction.Connection != connection)
        {
            throw new InvalidOperationException("Prepared commands run on an open connection, inside its transaction.");
        }

        var statement = new Statement(this, db, sql, names);
        prepared.Add(statement);
        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in prepared)
        {
            statement.Dispose();
        }

        prepared.Clear();
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

    /// <summary>A prepared SQL text: every statement in it, with where each named value goes in each (0: not used there).</summary>
    internal sealed class Statement : IDisposable
    {
        private readonly PreparedCommands owner;
        private readonly sqlite3 db;
        private readonly string sql;
        private readonly int parameterCount;
        private readonly (sqlite3_stmt Statement, int[] Slots)[] statements;

        public Statement(PreparedCommands owner, sqlite3 db, string sql, string[] names)
        {
            this.owner = owner;
            this.db = db;
            this.sql = sql;
            parameterCount = names.Length;
            var list = new List<(sqlite3_stmt, int[])>();
            var used = new bool[names.Length];
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
                    var bound = 0;
                    for (var i = 0; i < names.Length; i++)
                    {
                        slots[i] = raw.sqlite3_bind_parameter_index(statement, names[i]);
                        bound += slots[i] > 0 ? 1 : 0;
                        used[i] |= slots[i] > 0;
                    }

                    list.Add((statement, slots));
                    // A parameter no name binds would silently be NULL: an error, as it is for a SqliteCommand.
                    if (bound != raw.sqlite3_bind_parameter_count(statement))
                    {
                        throw new InvalidOperationException($"A parameter of this SQL has no name among {string.Join(", ", names)}: {sql}");
                    }
                }

                if (Array.IndexOf(used, false) is var unused and >= 0)
                {
                    throw new InvalidOperationException($"This SQL has no parameter {names[unused]}: {sql}");
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

            statements = [.. list];
        }

        /// <summary>Runs it and returns how many rows its writes changed.</summary>
        public int Execute(params ReadOnlySpan<object?> values) => Run(values, out _);

        /// <summary>The first column of the first row as an integer (an id), or null when there is no row.</summary>
        public long? ScalarLong(params ReadOnlySpan<object?> values)
        {
            Run(values, out var first);
            return first;
        }

        /// <summary>
        /// Runs an INSERT and returns the new row's id. Cheaper than RETURNING, which needs a row read back per insert;
        /// SQLite's last insert rowid is the statement's own row (a trigger's inserts do not change it once it ends).
        /// </summary>
        public long Insert(params ReadOnlySpan<object?> values)
        {
            Run(values, out _);
            return raw.sqlite3_last_insert_rowid(db);
        }

        public void Dispose()
        {
            foreach (var (statement, _) in statements)
            {
                statement.Dispose(); // finalizes it
            }
        }

        // Returns the rows changed, and the first row's first column when it is an integer.
        private int Run(ReadOnlySpan<object?> values, out long? first)
        {
            if (values.Length != parameterCount)
            {
                throw new ArgumentException($"Expected {parameterCount} value(s), in the order the names were given, for: {sql}", nameof(values));
            }

            first = null;
            var read = false;
            var changes = 0;
            foreach (var (statement, slots) in statements)
            {
                try
                {
                    for (var i = 0; i < slots.Length; i++)
                    {
                        if (slots[i] > 0)
                        {
                            Bind(statement, slots[i], values[i]);
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
                DateTimeOffset time => raw.sqlite3_bind_text(statement, slot, owner.TimeText(time)),
                double number => raw.sqlite3_bind_double(statement, slot, number),
                _ => throw new NotSupportedException($"No binding for a {value.GetType().Name}: convert it before it reaches SQL."),
            };
            if (rc != raw.SQLITE_OK)
            {
                throw new InvalidOperationException($"Binding parameter {slot} failed: SQLite error {rc}.");
            }
        }
    }
}
