using System.Net.Http.Json;
using Cms.Api.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Search;

/// <summary>
/// The search index's file is derived data (migration 0010): whatever happened to it between two runs, the next start
/// brings it back in step with the database.
/// </summary>
[Category(Engines.SqliteOnly)]
public sealed class SearchRecoveryTests
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"cms-search-{Guid.NewGuid():N}.db");
    private CmsFactory? running;

    [TearDown]
    public void Cleanup()
    {
        Stop();
        new CmsFactory(path).DeleteDatabase();
        File.Delete(path + ".backup");
    }

    private async Task<HttpClient> StartAsync()
    {
        running = new CmsFactory(path);
        var client = running.Editor();
        await running.Services.GetRequiredService<SearchIndexer>().Started;
        return client;
    }

    private void Stop()
    {
        running?.Dispose();
        running = null;
        SqliteConnection.ClearAllPools(); // the last connection to close checkpoints the WAL into the file
    }

    private static async Task<string[]> Titles(HttpClient client, string q)
    {
        var page = JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles?q={q}"))!;
        return page["items"]!.AsArray().Select(a => (string)a!["title"]!).ToArray();
    }

    private static async Task Publish(HttpClient client, string title)
    {
        var response = await client.PostAsJsonAsync("/api/v1/articles", new { title, status = "published" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    private async Task Sql(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task Changes_the_database_committed_but_the_index_did_not_are_applied_at_the_next_start()
    {
        await Publish(await StartAsync(), "Harbour reopens");
        Stop();
        // As if the process died between the two commits: the change and its log entry are in the database only.
        await Sql("UPDATE articles SET title = 'Lighthouse reopens' WHERE title = 'Harbour reopens'");

        var client = await StartAsync();

        Assert.That((await Titles(client, "lighthouse"), await Titles(client, "harbour")), Is.EqualTo((new[] { "Lighthouse reopens" }, Array.Empty<string>())));
        await SearchIndexTests.AssertIndexMatchesText(path, "a start after an unindexed change");
    }

    [Test]
    public async Task A_missing_index_file_is_rebuilt_from_the_stored_text()
    {
        var client = await StartAsync();
        await Publish(client, "Harbour reopens");
        await Publish(client, "Bridge closes");
        Stop();
        foreach (var suffix in new[] { "-search", "-search-wal", "-search-shm" })
        {
            File.Delete(path + suffix);
        }

        client = await StartAsync();

        Assert.That((await Titles(client, "harbour"), await Titles(client, "bridge")), Is.EqualTo((new[] { "Harbour reopens" }, new[] { "Bridge closes" })));
        await SearchIndexTests.AssertIndexMatchesText(path, "a rebuild");
    }

    [Test]
    public async Task An_unreadable_index_file_is_replaced_and_rebuilt()
    {
        await Publish(await StartAsync(), "Harbour reopens");
        Stop();
        File.Delete(path + "-search-wal");
        File.Delete(path + "-search-shm");
        await File.WriteAllBytesAsync(path + "-search", Enumerable.Repeat((byte)0x5A, 8192).ToArray());

        var client = await StartAsync();

        Assert.That(await Titles(client, "harbour"), Is.EqualTo(new[] { "Harbour reopens" }));
        await SearchIndexTests.AssertIndexMatchesText(path, "replacing an unreadable file");
    }

    [Test]
    public async Task A_restored_backup_of_the_database_gets_its_index_rebuilt()
    {
        await Publish(await StartAsync(), "Harbour reopens");
        Stop();
        File.Copy(path, path + ".backup");
        var client = await StartAsync();
        var article = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles?q=harbour"))!["items"]![0]!;
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/articles/{(long)article["id"]!}")
        {
            Content = new StringContent("""{"title":"Lighthouse reopens"}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        Assert.That((await client.SendAsync(patch)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Stop();
        // The backup comes back; the index file still reflects the later edit, which this database never recorded.
        File.Copy(path + ".backup", path, overwrite: true);

        client = await StartAsync();

        Assert.That((await Titles(client, "harbour"), await Titles(client, "lighthouse")), Is.EqualTo((new[] { "Harbour reopens" }, Array.Empty<string>())));
        await SearchIndexTests.AssertIndexMatchesText(path, "restoring a backup");
    }
}
