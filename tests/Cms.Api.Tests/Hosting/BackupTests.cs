using Cms.Api.Data;
using Cms.Api.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Hosting;

/// <summary>A backup taken while the service writes is a consistent database that a fresh server serves as it was.</summary>
[Category(Engines.SqliteOnly)]
public sealed class BackupTests
{
    private readonly string backup = Path.Combine(Path.GetTempPath(), $"cms-backup-{Guid.NewGuid():N}.db");

    [TearDown]
    public void Cleanup() => new CmsFactory(backup).DeleteDatabase();

    private static string Article(int i) => JsonSerializer.Serialize(new
    {
        title = $"Story {i}",
        status = "published",
        sections = new[] { new { body = $"Part one of {i}." }, new { body = $"Part two of {i}." } },
        pullQuotes = new[] { new { text = $"Quote {i}", section = 2, afterParagraph = 1 } },
    });

    [Test]
    public async Task A_backup_during_writes_restores_into_a_server_that_serves_a_whole_prefix_of_them()
    {
        using var live = new CmsFactory();
        using var editor = live.Editor();
        using var stop = new CancellationTokenSource();
        var created = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await editor.PutAsync($"/api/v1/articles/by-slug/story-{created}", new StringContent(Article(created), System.Text.Encoding.UTF8, "application/json"));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                created++;
            }
        });

        while (Volatile.Read(ref created) < 20)
        {
            await Task.Delay(10);
        }

        await live.Services.GetRequiredService<SqliteDatabase>().BackupAsync(backup, CancellationToken.None);
        var createdAtBackup = Volatile.Read(ref created);
        while (Volatile.Read(ref created) < createdAtBackup + 20)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await writer;
        var liveExport = (await editor.GetStringAsync("/api/v1/export")).Split("\"comments\"")[0];

        using var restored = new CmsFactory(backup);
        using var restoredEditor = restored.Editor();
        await restored.Services.GetRequiredService<SearchIndexer>().Started;
        var restoredExport = (await restoredEditor.GetStringAsync("/api/v1/export")).Split("\"comments\"")[0];
        var restoredArticles = JsonNode.Parse(restoredExport + "\"comments\":[]}")!["articles"]!.AsArray();
        var search = JsonNode.Parse(await restoredEditor.GetStringAsync("/api/v1/articles?q=story&count=true"))!;

        Assert.Multiple(() =>
        {
            Assert.That(restoredArticles.Count, Is.InRange(20, createdAtBackup + 1), "the articles committed when it began");
            Assert.That(liveExport, Does.StartWith(restoredExport.TrimEnd(']', ',')), "each one whole, exactly as the live server has it");
            Assert.That((long)search["totalCount"]!, Is.EqualTo(restoredArticles.Count), "the search index was rebuilt from the restored text");
        });
    }
}
