using System.Diagnostics;
using Npgsql;

namespace Cms.Api.Tests.Nodes;

/// <summary>
/// PostgreSQL going away and coming back, on a cluster of this test's own (the shared one serves the other tests):
/// requests meanwhile are answered 503 with Retry-After, never 500, and the node recovers by itself.
/// </summary>
[Category(Engines.PostgresOnly)]
[NonParallelizable]
public sealed class PostgresFaultTests
{
    private string directory = null!;

    [SetUp]
    public void MakeDirectory() => directory = Path.Combine(Path.GetTempPath(), $"cms-pg-fault-{Guid.NewGuid():N}", "cluster");

    [TearDown]
    public async Task RemoveCluster()
    {
        await ClusterAsync("stop", directory);
        Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
    }

    private static async Task<string> ClusterAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [RepositoryFiles.Path("scripts", "postgres.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, errors);
        return output.Trim();
    }

    [Test]
    public async Task While_PostgreSQL_restarts_requests_get_503_with_Retry_After_and_the_node_recovers_by_itself()
    {
        if (!CmsFactory.OnPostgres)
        {
            Assert.Ignore("Runs in the PostgreSQL run of the suite.");
        }

        var server = await ClusterAsync("start", directory, "--fast");
        var port = new NpgsqlConnectionStringBuilder(server).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE cms", admin);
            await create.ExecuteNonQueryAsync();
        }

        using var node = new CmsFactory(Path.Combine(directory, "unused.db"), new Dictionary<string, string?>
        {
            ["Cms:Database:Provider"] = "postgres",
            ["ConnectionStrings:Cms"] = new NpgsqlConnectionStringBuilder(server) { Database = "cms" }.ToString(),
        });
        using var editor = node.Editor();
        using var reader = node.CreateClient();
        var created = await editor.PostAsync("/api/v1/articles", new StringContent("""{"title":"Before the outage","status":"published"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        // A public page not read yet, so not cached: read from the database on the pool public pages have to themselves.
        var page = $"/api/v1/articles/{(long)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!}?include=sections";

        await ClusterAsync("stop", directory);
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => editor.PostAsync("/api/v1/articles", new StringContent("""{"title":"During the outage"}""", System.Text.Encoding.UTF8, "application/json")),
            () => editor.GetAsync("/api/v1/articles?limit=5"),
            () => reader.GetAsync(page),
        })
        {
            using var response = await request();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        }

        Assert.That((await editor.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready without its database");
        Assert.That((await editor.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "but alive: nothing to restart");

        await ClusterAsync("start", directory, port, "--fast");
        // Connections broken by the restart are found out on use: until the pool has let them go, a request may still
        // meet one, and is answered 503 as during the outage; the node needs no restart.
        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.Created; attempt++)
        {
            using var response = await editor.PostAsync("/api/v1/articles", new StringContent("""{"title":"After the outage"}""", System.Text.Encoding.UTF8, "application/json"));
            status = response.StatusCode;
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
        }

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.OK; attempt++)
        {
            using var response = await reader.GetAsync(page);
            status = response.StatusCode;
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
        }

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "the public page is read again once PostgreSQL is back");
        Assert.That((await editor.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
