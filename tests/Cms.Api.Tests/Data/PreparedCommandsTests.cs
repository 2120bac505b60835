using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Data;

// PreparedCommands drives SQLite's statements directly (no SqliteCommand), so what SqliteCommand gave for free is
// checked here: errors as SqliteException, a statement still usable after one fails, unnamed parameters refused,
// every statement of a multi-statement text run. No HTTP endpoint can make an import's SQL fail on purpose.
public sealed class PreparedCommandsTests
{
    private SqliteConnection connection = null!;
    private SqliteTransaction transaction = null!;

    [SetUp]
    public void Open()
    {
        connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, flag INTEGER, at TEXT)";
            create.ExecuteNonQuery();
        }

        transaction = connection.BeginTransaction();
    }

    [TearDown]
    public void Close()
    {
        transaction.Dispose();
        connection.Dispose();
    }

    private const string Insert = "INSERT INTO t (name, flag, at) VALUES (@Name, @Flag, @At)";

    [Test]
    public void Insert_returns_each_new_id_and_stores_values_as_Dapper_would()
    {
        using var prepared = new PreparedCommands(connection, transaction);
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var first = prepared.Insert(Insert, ("@Name", "a"), ("@Flag", true), ("@At", at));
        var second = prepared.Insert(Insert, ("@Name", "b"), ("@Flag", null), ("@At", null));

        Assert.Multiple(() =>
        {
            Assert.That((first, second), Is.EqualTo((1L, 2L)));
            Assert.That(prepared.ScalarLong("SELECT flag FROM t WHERE name = @Name", ("@Name", "a")), Is.EqualTo(1L));
            Assert.That(prepared.ScalarLong("SELECT flag FROM t WHERE name = @Name", ("@Name", "b")), Is.Null);
            Assert.That(prepared.ScalarLong("SELECT count(*) FROM t WHERE at = @At", ("@At", Timestamps.ToText(at))), Is.EqualTo(1L));
        });
    }

    [Test]
    public void A_failed_statement_throws_SqliteException_and_the_next_call_works()
    {
        using var prepared = new PreparedCommands(connection, transaction);
        prepared.Insert(Insert, ("@Name", "a"), ("@Flag", 1), ("@At", null));

        var error = Assert.Throws<SqliteException>(() => prepared.Insert(Insert, ("@Name", "a"), ("@Flag", 1), ("@At", null)));
        var next = prepared.Insert(Insert, ("@Name", "b"), ("@Flag", 1), ("@At", null));

        Assert.Multiple(() =>
        {
            Assert.That(error!.SqliteErrorCode, Is.EqualTo(19), "SQLITE_CONSTRAINT");
            Assert.That(error.Message, Does.Contain("UNIQUE"));
            Assert.That(next, Is.EqualTo(2L));
        });
    }

    [Test]
    public void A_parameter_without_a_value_is_refused_rather_than_stored_as_null()
    {
        using var prepared = new PreparedCommands(connection, transaction);

        Assert.Throws<InvalidOperationException>(() => prepared.Insert(Insert, ("@Name", "a"), ("@Flag", 1)));
        Assert.That(prepared.ScalarLong("SELECT count(*) FROM t"), Is.Zero);
    }

    [Test]
    public void Execute_runs_every_statement_of_the_text_and_counts_the_rows_they_changed()
    {
        using var prepared = new PreparedCommands(connection, transaction);
        foreach (var name in new[] { "a", "b", "c" })
        {
            prepared.Insert(Insert, ("@Name", name), ("@Flag", 0), ("@At", null));
        }

        var changed = prepared.Execute("UPDATE t SET flag = 1 WHERE name <> @Name; DELETE FROM t WHERE name = @Name;", ("@Name", "a"));

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EqualTo(3));
            Assert.That(prepared.ScalarLong("SELECT sum(flag) FROM t"), Is.EqualTo(2L));
            Assert.That(prepared.ScalarLong("SELECT id FROM t WHERE name = @Name", ("@Name", "a")), Is.Null);
        });
    }

    [Test]
    public void Statements_run_inside_the_callers_transaction_so_a_rollback_undoes_them()
    {
        using (var prepared = new PreparedCommands(connection, transaction))
        {
            prepared.Insert(Insert, ("@Name", "a"), ("@Flag", 1), ("@At", null));
            Assert.That(prepared.ScalarLong("SELECT count(*) FROM t"), Is.EqualTo(1L));
        }

        transaction.Rollback();

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        Assert.That(count.ExecuteScalar(), Is.Zero);
    }

    [Test]
    public void A_command_after_its_transaction_ended_is_refused()
    {
        using var prepared = new PreparedCommands(connection, transaction);
        transaction.Commit();

        Assert.Throws<InvalidOperationException>(() => prepared.Insert(Insert, ("@Name", "a"), ("@Flag", 1), ("@At", null)));
    }
}
