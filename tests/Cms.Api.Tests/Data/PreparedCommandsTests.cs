using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Data;

// PreparedCommands drives SQLite's statements directly (no SqliteCommand), so what SqliteCommand gave for free is
// checked here: errors as SqliteException, a statement still usable after one fails, unnamed parameters refused,
// every statement of a multi-statement text run; and its own rule, names checked against the SQL when prepared.
// No HTTP endpoint can make an import's SQL fail on purpose.
[Category(Engines.SqliteOnly)]
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

    private const string InsertRow = "INSERT INTO t (name, flag, at) VALUES (@Name, @Flag, @At)";

    private PreparedCommands prepared = null!;

    private PreparedCommands.Statement Insert => prepared.Prepare(InsertRow, "@Name", "@Flag", "@At");

    private long? Scalar(string sql, params object?[] values) =>
        prepared.Prepare(sql, [.. System.Text.RegularExpressions.Regex.Matches(sql, "@\\w+").Select(m => m.Value).Distinct()]).ScalarLong(values);

    [SetUp]
    public void Prepare() => prepared = new PreparedCommands(connection, transaction);

    [TearDown]
    public void DisposePrepared() => prepared.Dispose();

    [Test]
    public void Insert_returns_each_new_id_and_stores_values_as_Dapper_would()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var insert = Insert;

        var first = insert.Insert("a", true, at);
        var second = insert.Insert("b", null, null);

        Assert.Multiple(() =>
        {
            Assert.That((first, second), Is.EqualTo((1L, 2L)));
            Assert.That(Scalar("SELECT flag FROM t WHERE name = @Name", "a"), Is.EqualTo(1L));
            Assert.That(Scalar("SELECT flag FROM t WHERE name = @Name", "b"), Is.Null);
            Assert.That(Scalar("SELECT count(*) FROM t WHERE at = @At", Timestamps.ToText(at)), Is.EqualTo(1L));
        });
    }

    [Test]
    public void A_failed_statement_throws_SqliteException_and_the_next_run_works()
    {
        var insert = Insert;
        insert.Insert("a", 1, null);

        var error = Assert.Throws<SqliteException>(() => insert.Insert("a", 1, null));
        var next = insert.Insert("b", 1, null);

        Assert.Multiple(() =>
        {
            Assert.That(error!.SqliteErrorCode, Is.EqualTo(19), "SQLITE_CONSTRAINT");
            Assert.That(error.Message, Does.Contain("UNIQUE"));
            Assert.That(next, Is.EqualTo(2L));
        });
    }

    [Test]
    public void A_parameter_without_a_name_is_refused_when_prepared_rather_than_stored_as_null()
    {
        var error = Assert.Throws<InvalidOperationException>(() => prepared.Prepare(InsertRow, "@Name", "@Flag"));

        Assert.That(error!.Message, Does.Contain("has no name"));
        Assert.That(Scalar("SELECT count(*) FROM t"), Is.Zero);
    }

    [Test]
    public void A_name_the_SQL_does_not_have_is_refused_when_prepared()
    {
        var error = Assert.Throws<InvalidOperationException>(() => prepared.Prepare(InsertRow, "@Name", "@Flag", "@At", "@Nmae"));

        Assert.That(error!.Message, Does.Contain("has no parameter @Nmae"));
    }

    [Test]
    public void A_run_with_more_or_fewer_values_than_names_is_refused()
    {
        var insert = Insert;

        Assert.Throws<ArgumentException>(() => insert.Insert("a", 1));
        Assert.Throws<ArgumentException>(() => insert.Insert("a", 1, null, "extra"));
        Assert.That(Scalar("SELECT count(*) FROM t"), Is.Zero);
    }

    [Test]
    public void Execute_runs_every_statement_of_the_text_and_counts_the_rows_they_changed()
    {
        var insert = Insert;
        foreach (var name in new[] { "a", "b", "c" })
        {
            insert.Insert(name, 0, null);
        }

        var changed = prepared.Prepare("UPDATE t SET flag = 1 WHERE name <> @Name; DELETE FROM t WHERE name = @Name;", "@Name").Execute("a");

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.EqualTo(3));
            Assert.That(Scalar("SELECT sum(flag) FROM t"), Is.EqualTo(2L));
            Assert.That(Scalar("SELECT id FROM t WHERE name = @Name", "a"), Is.Null);
        });
    }

    [Test]
    public void Statements_run_inside_the_callers_transaction_so_a_rollback_undoes_them()
    {
        Insert.Insert("a", 1, null);
        Assert.That(Scalar("SELECT count(*) FROM t"), Is.EqualTo(1L));
        prepared.Dispose();

        transaction.Rollback();

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        Assert.That(count.ExecuteScalar(), Is.Zero);
    }

    [Test]
    public void A_statement_prepared_after_its_transaction_ended_is_refused()
    {
        transaction.Commit();

        Assert.Throws<InvalidOperationException>(() => prepared.Prepare(InsertRow, "@Name", "@Flag", "@At"));
    }
}
