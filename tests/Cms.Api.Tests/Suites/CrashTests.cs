using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Suites;

/// <summary>
/// The crash suite (scripts/crash-test.sh runs it with more kills): readers post comments, editors save articles and an
/// importer loads bundles while the server is killed with SIGKILL at random moments. After every restart: every
/// acknowledged (2xx) write is there, no import is half there, every article is whole, the search index agrees with the
/// rows, and /healthz answers within 2 s.
/// </summary>
[NonParallelizable]
[Category(Engines.SqliteOnly)]
public sealed class CrashTests
{
    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("CMS_CRASH_KILLS"), out var kills) ? kills : 5;

    private sealed class Acknowledged
    {
        public ConcurrentDictionary<long, string> Comments { get; } = new();

        public ConcurrentDictionary<long, long> ArticleVersions { get; } = new();

        public ConcurrentBag<string> Imports { get; } = [];

        public ConcurrentBag<string> Attempted { get; } = [];

        public int Count => Comments.Count + ArticleVersions.Count + Imports.Count;
    }

    [Test]
    public async Task Killed_at_random_moments_the_server_loses_nothing_it_acknowledged()
    {
        using var server = new ServerProcess(new Dictionary<string, string>
        {
            ["Cms__Comments__FloodSeconds"] = "0",
            ["Cms__Comments__RateLimitPerMinute"] = "0",
            ["Cms__Comments__AutoApprove"] = "true",
        });
        await server.StartAsync();
        var articles = new List<long>();
        using (var setup = server.Client())
        {
            for (var i = 0; i < 4; i++)
            {
                var created = await setup.PostAsJsonAsync("/api/v1/articles", new { title = $"Standing story {i}", status = "published" });
                articles.Add((long)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
            }
        }

        var acknowledged = new Acknowledged();
        var random = new Random(1202);
        var slowestHealth = TimeSpan.Zero;
        var problems = new List<string>();
        for (var cycle = 0; cycle < Kills; cycle++)
        {
            using var stop = new CancellationTokenSource();
            var clients = new List<Task>();
            for (var n = 0; n < 6; n++)
            {
                clients.Add(PostComments(server, articles[n % articles.Count], $"c{cycle}n{n}", acknowledged, stop.Token));
            }

            clients.AddRange(articles.Take(2).Select(id => EditArticle(server, id, acknowledged, stop.Token)));
            clients.Add(Import(server, $"crash-{cycle}", acknowledged, stop.Token));
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(700, 2500)));
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            var started = Stopwatch.StartNew();
            await server.StartAsync();
            using (var health = server.Client(null))
            {
                while ((await health.GetAsync("/healthz")).StatusCode != HttpStatusCode.OK)
                {
                    await Task.Delay(10);
                }
            }

            slowestHealth = TimeSpan.FromTicks(Math.Max(slowestHealth.Ticks, started.Elapsed.Ticks));
            problems.AddRange(await CheckAsync(server, acknowledged));
        }

        var lost = problems.Count(p => p.StartsWith("lost", StringComparison.Ordinal));
        TestContext.Out.WriteLine($"crash test: kills {Kills}, acknowledged {acknowledged.Count}, lost {lost}; slowest restart to /healthz 200 {slowestHealth.TotalSeconds:F2} s");
        TestContext.Out.WriteLine($"acknowledged {acknowledged.Count}, lost {lost}");
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(acknowledged.Comments, Is.Not.Empty);
            Assert.That(acknowledged.ArticleVersions, Is.Not.Empty);
            Assert.That(slowestHealth, Is.LessThan(TimeSpan.FromSeconds(2)), "a restart answers /healthz within 2 s of its start");
        });
    }

    private static async Task PostComments(ServerProcess server, long article, string prefix, Acknowledged acknowledged, CancellationToken stop)
    {
        using var client = server.Client(null);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var body = $"{prefix} comment {i}";
            try
            {
                var response = await client.PostAsJsonAsync($"/api/v1/articles/{article}/comments", new { name = "Reader", body }, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Comments[(long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!] = body;
                }
            }
            catch (HttpRequestException)
            {
                return;
            }
        }
    }

    private static async Task EditArticle(ServerProcess server, long article, Acknowledged acknowledged, CancellationToken stop)
    {
        using var client = server.Client();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var response = await client.PatchAsync($"/api/v1/articles/{article}", new StringContent($$"""{"standfirst":"edit {{Guid.NewGuid():N}}"}""", Encoding.UTF8, "application/merge-patch+json"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    var version = (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["version"]!;
                    acknowledged.ArticleVersions.AddOrUpdate(article, version, (_, known) => Math.Max(known, version));
                }
            }
            catch (HttpRequestException)
            {
                return;
            }
        }
    }

    // Bundles of 300 articles, each with three sections, one after another: an import is all or nothing.
    private static async Task Import(ServerProcess server, string prefix, Acknowledged acknowledged, CancellationToken stop)
    {
        using var client = server.Client();
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var name = $"{prefix}-b{batch}";
            var lines = Enumerable.Range(0, 300).Select(i => JsonSerializer.Serialize(new
            {
                slug = $"{name}-{i}",
                title = $"Imported {name} {i}",
                status = "published",
                sections = new[] { new { body = $"{name} one" }, new { body = $"{name} two" }, new { body = $"{name} three" } },
            }));
            acknowledged.Attempted.Add(name);
            try
            {
                var response = await client.PostAsync("/api/v1/import", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Imports.Add(name);
                }
            }
            catch (HttpRequestException)
            {
                return;
            }
        }
    }

    private static async Task<List<string>> CheckAsync(ServerProcess server, Acknowledged acknowledged)
    {
        var problems = new List<string>();
        using var client = server.Client();
        foreach (var (id, body) in acknowledged.Comments)
        {
            var response = await client.GetAsync($"/api/v1/comments/{id}");
            if (response.StatusCode != HttpStatusCode.OK || (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["body"] != body)
            {
                problems.Add($"lost comment {id} ({body})");
            }
        }

        foreach (var (id, version) in acknowledged.ArticleVersions)
        {
            var stored = (long)(await client.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{id}"))!["version"]!;
            if (stored < version)
            {
                problems.Add($"lost edit: article {id} is at version {stored}, {version} was acknowledged");
            }
        }

        var export = JsonNode.Parse(await client.GetStringAsync("/api/v1/export"))!["articles"]!.AsArray();
        foreach (var name in acknowledged.Attempted.Distinct())
        {
            var count = export.Count(a => ((string)a!["slug"]!).StartsWith(name + "-", StringComparison.Ordinal));
            if (acknowledged.Imports.Contains(name) && count != 300)
            {
                problems.Add($"lost import {name}: {count} of its 300 articles");
            }
            else if (count is not (0 or 300))
            {
                problems.Add($"half an import: {name} has {count} of 300 articles");
            }
        }

        problems.AddRange(export
            .Where(a => ((string)a!["slug"]!).StartsWith("crash-", StringComparison.Ordinal) && a["sections"]!.AsArray().Count != 3)
            .Select(a => $"half an article: {a!["slug"]} has {a["sections"]!.AsArray().Count} sections"));
        problems.AddRange(await CheckSearchAsync(server));
        foreach (var article in export.Where(a => (string?)a!["status"] == "published").OrderBy(a => (string)a!["slug"]!).Take(20))
        {
            var title = (string)article!["title"]!;
            var hits = JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles?q={Uri.EscapeDataString($"\"{title}\"")}&limit=100"))!["items"]!.AsArray();
            if (!hits.Any(h => (string?)h!["slug"] == (string?)article["slug"]))
            {
                problems.Add($"search does not find '{title}' by its words");
            }
        }

        return problems;
    }

    // The index (in its own file) must hold exactly the stored articles, once the indexer has caught up at start-up.
    private static async Task<List<string>> CheckSearchAsync(ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using (var attach = connection.CreateCommand())
            {
                attach.CommandText = $"ATTACH DATABASE '{server.DatabasePath}-search' AS search";
                await attach.ExecuteNonQueryAsync();
            }

            await using var compare = connection.CreateCommand();
            compare.CommandText = """
                SELECT (SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT id FROM search.articles_fts_docsize)),
                       (SELECT COUNT(*) FROM search.articles_fts_docsize WHERE id NOT IN (SELECT id FROM articles))
                """;
            await using var reader = await compare.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (unindexed, orphaned) = (reader.GetInt64(0), reader.GetInt64(1));
            if (unindexed == 0 && orphaned == 0)
            {
                return [];
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return [$"search index disagrees with the rows: {unindexed} article(s) not indexed, {orphaned} entry(ies) for no article"];
            }

            await Task.Delay(100);
        }
    }
}
