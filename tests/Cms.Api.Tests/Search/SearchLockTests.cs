using Cms.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Search;

/// <summary>
/// Readers, writers and the search indexer never block one another by accident: a connection that searched has the
/// index's file attached, and a write transaction on such a connection would lock that file too, shutting the indexer
/// out until the write ends (an import can take minutes). Searching connections are kept apart from writers.
/// </summary>
[Category(Engines.SqliteOnly)]
public sealed class SearchLockTests : ApiTest
{
    [Test]
    public async Task A_write_never_locks_the_index_file_after_searches()
    {
        await CreatePublishedArticle("River flood warning");
        for (var i = 0; i < 4; i++)
        {
            await Expect(await Public.GetAsync($"/api/v1/articles?q=river&limit={i + 1}"), HttpStatusCode.OK);
        }

        var database = Factory.Services.GetRequiredService<SqliteDatabase>();
        await using var writer = (SqliteConnection)await database.OpenWriterAsync();
        await using var write = SqliteDatabase.BeginWrite(writer);
        var attached = new List<string>();
        await using (var list = writer.CreateCommand())
        {
            list.CommandText = "PRAGMA database_list";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                attached.Add(reader.GetString(1));
            }
        }

        // What the indexer does to apply a change, without waiting for any lock.
        await using var index = new SqliteConnection($"Data Source={database.SearchPath};Pooling=False;Default Timeout=0");
        await index.OpenAsync();
        await using var begin = index.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";

        Assert.That(attached, Does.Not.Contain("search"), "the writer's connection has no index attached");
        await Assert.ThatAsync(() => begin.ExecuteNonQueryAsync(), Throws.Nothing, "the index can be written while the database is");
    }
}
