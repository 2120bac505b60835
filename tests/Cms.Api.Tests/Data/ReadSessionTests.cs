using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Data;

/// <summary>
/// SQLite's read sessions stay open between requests with their statements compiled (Data/ReadSession.cs): they must
/// never keep a read going after their request (the log could then never be folded back into the database), and they
/// close when the service stops.
/// </summary>
[Category(Engines.SqliteOnly)]
public sealed class ReadSessionTests : ApiTest
{
    // The cache off: every page read below goes to the database.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Caching:InProcess"] = "false" };

    [Test]
    public async Task Page_reads_leave_no_read_open_that_would_keep_the_log_from_being_checkpointed()
    {
        var id = (long)(await CreatePublishedArticle("Harbour ferry returns"))["id"]!;
        foreach (var url in new[] { $"/api/v1/articles/{id}", "/api/v1/articles/harbour-ferry-returns?include=sections,comments", "/api/v1/articles/no-such-article" })
        {
            await Public.GetAsync(url);
        }

        // A write after the reads: a read still open would now be reading an older state than the database's.
        await Expect(await Patch(Editor, $"/api/v1/articles/{id}", """{"standfirst":"Back on the water."}"""), HttpStatusCode.OK);

        await using var connection = new SqliteConnection($"Data Source={Factory.DatabasePath}");
        await connection.OpenAsync();
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 10000";
        await wait.ExecuteNonQueryAsync();
        await using var command = connection.CreateCommand();
        // TRUNCATE waits (up to the busy timeout) for every reader to reach the latest state, then empties the log.
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var result = await command.ExecuteReaderAsync();
        Assert.That(await result.ReadAsync(), Is.True);
        Assert.That(result.GetInt64(0), Is.Zero, "a read kept open blocked the checkpoint");
    }

    [Test]
    public async Task Stopping_the_service_closes_its_kept_read_sessions()
    {
        await CreatePublishedArticle("Harbour ferry returns");
        await Expect(await Public.GetAsync("/api/v1/articles/harbour-ferry-returns"), HttpStatusCode.OK);

        Factory.Dispose();
        SqliteConnection.ClearAllPools();

        // The last connection to the file to close folds the log back into it and deletes it.
        Assert.That(File.Exists(Factory.DatabasePath + "-wal"), Is.False, "a connection was still open");
    }
}
