using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Hosting;

[Category(Engines.SqliteOnly)]
public sealed class DatabaseStartupTests
{
    private readonly List<CmsFactory> factories = [];

    private CmsFactory Start(string path, IDictionary<string, string?>? settings = null)
    {
        var factory = new CmsFactory(path, settings);
        factories.Add(factory);
        return factory;
    }

    private static string NewPath() => Path.Combine(Path.GetTempPath(), $"cms-startup-{Guid.NewGuid():N}.db");

    [TearDown]
    public void Cleanup()
    {
        foreach (var factory in factories)
        {
            factory.Dispose();
            factory.DeleteDatabase();
        }
    }

    private static async Task<T> Scalar<T>(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public async Task Every_connection_commits_durably_in_WAL_with_synchronous_FULL()
    {
        var factory = Start(NewPath());
        factory.CreateClient().Dispose();
        var database = factory.Services.GetRequiredService<Cms.Api.Data.CmsDatabase>();

        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        var journal = (string?)await command.ExecuteScalarAsync();
        command.CommandText = "PRAGMA synchronous";
        var synchronous = (long?)await command.ExecuteScalarAsync();

        // 2 = FULL: the WAL is synced at every commit, so a 201 survives a power cut, not only a crash.
        Assert.That((journal, synchronous), Is.EqualTo(("wal", 2L)));
    }

    [Test]
    public async Task A_missing_directory_for_the_database_is_made()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cms-new-{Guid.NewGuid():N}", "var", "lib", "cms");
        var factory = Start(Path.Combine(directory, "cms.db"));

        var health = await factory.CreateClient().GetAsync("/healthz");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(File.Exists(Path.Combine(directory, "cms.db")), Is.True);
    }

    [Test]
    public void A_database_that_cannot_be_opened_stops_the_start_naming_its_path()
    {
        var blocker = Path.Combine(Path.GetTempPath(), $"cms-file-{Guid.NewGuid():N}");
        File.WriteAllText(blocker, "a file where the database's directory should be");
        var path = Path.Combine(blocker, "cms.db");
        try
        {
            using var factory = new CmsFactory(path);
            var failure = Assert.Catch(() => factory.CreateClient());

            Assert.That(failure!.ToString(), Does.Contain($"Could not open the SQLite database '{path}'"));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Test]
    public void Start_up_runs_only_the_services_the_CMS_needs()
    {
        var factory = Start(NewPath());

        var started = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name);

        // The data-protection key ring (unused: no cookies, no antiforgery) is not loaded or written at start.
        Assert.That(started, Is.EquivalentTo(new[] { "DatabaseStartup", "SearchIndexer", "ScheduledPublisher", "PageRenderer", "RevisionRecorder", "WebhookDispatcher", "TelemetryHostedService", "GenericWebHostService" }));
    }

    [Test]
    public async Task The_first_start_creates_and_migrates_the_database_in_wal_mode_and_health_is_ok()
    {
        var path = NewPath();
        var factory = Start(path);

        var health = await factory.Anonymous().GetAsync("/healthz");

        Assert.Multiple(async () =>
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await Scalar<string>(path, "PRAGMA journal_mode"), Is.EqualTo("wal"));
            Assert.That(await Scalar<long>(path, "PRAGMA page_size"), Is.EqualTo(8192));
            Assert.That(await Scalar<long>(path, "SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Cms.Api.Data.MigrationSet.Sqlite.All.Count));
            Assert.That(await Scalar<string>(path, "SELECT name FROM schema_migrations WHERE version = 1"), Is.EqualTo("0001_initial"));
        });
    }

    [Test]
    public async Task A_database_migrated_by_a_newer_version_is_refused_at_start_and_left_unchanged()
    {
        var path = NewPath();
        Start(path).CreateClient().Dispose();
        factories[^1].Dispose();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9001, '9001_from_the_future', '2030-01-01T00:00:00.000Z')";
            await command.ExecuteNonQueryAsync();
        }

        var exception = Assert.Catch(() => Start(path).CreateClient());

        Assert.That(exception!.ToString(), Does.Contain("migrated by a newer version of the CMS (to migration 9001_from_the_future)")
            .And.Contain($"up to {Cms.Api.Data.MigrationSet.Sqlite.All[^1].Name}"));
        Assert.That(await Scalar<long>(path, "SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Cms.Api.Data.MigrationSet.Sqlite.All.Count + 1));
    }

    [Test]
    public async Task A_restart_keeps_the_data_and_applies_no_migration_twice()
    {
        var path = NewPath();
        var first = Start(path);
        await first.Editor().PostAsync("/api/v1/articles", new StringContent("""{"title":"Survives"}""", System.Text.Encoding.UTF8, "application/json"));
        first.Dispose();

        var second = Start(path);
        var list = JsonNode.Parse(await second.Editor().GetStringAsync("/api/v1/articles"))!;

        Assert.That(list["items"]!.AsArray().Select(a => (string?)a!["title"]), Is.EqualTo(new[] { "Survives" }));
        Assert.That(await Scalar<long>(path, "SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Cms.Api.Data.MigrationSet.Sqlite.All.Count));
    }

    [Test]
    public async Task A_database_from_before_migration_10_has_its_search_index_built_in_its_own_file_from_the_stored_text()
    {
        var path = NewPath();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);";
            foreach (var migration in Cms.Api.Data.MigrationSet.Sqlite.All.Where(m => m.Version < 10))
            {
                command.CommandText += migration.Sql + $";INSERT INTO schema_migrations VALUES ({migration.Version}, '{migration.Name}', '2026-01-01T00:00:00.000Z');";
            }

            command.CommandText += """
                INSERT INTO articles (id, slug, title, status, published_at, created_at, updated_at) VALUES
                    (1, 'old', 'Before the upgrade', 'published', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
                INSERT INTO sections (article_id, position, heading, body, created_at, updated_at) VALUES
                    (1, 1, NULL, 'The lighthouse keeper retires.', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                    (1, 2, 'Tributes', 'Neighbours remember forty winters.', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
                """;
            await command.ExecuteNonQueryAsync();
        }

        var factory = Start(path);
        var client = factory.CreateClient();
        await factory.Services.GetRequiredService<Cms.Api.Search.SearchIndexer>().Started; // the rebuild is done
        var page = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles?q=lighthouse"))!;

        Assert.Multiple(() =>
        {
            Assert.That(page["items"]!.AsArray().Select(a => (string?)a!["title"]), Is.EqualTo(new[] { "Before the upgrade" }));
            Assert.That((string?)page["items"]![0]!["snippet"], Does.Contain("<mark>lighthouse</mark>"));
        });
        await Search.SearchIndexTests.AssertIndexMatchesText(path, "the upgrade");
        Assert.That(await Scalar<long>(path, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'articles_fts%'"), Is.Zero, "the old index left the database");
        Assert.That(await Scalar<long>(path, "PRAGMA page_size"), Is.EqualTo(4096), "an existing database keeps its page size");
    }

    [Test]
    public async Task Without_a_configured_key_the_first_start_generates_one_prints_it_once_and_stores_only_its_hash()
    {
        var path = NewPath();
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        string key;
        try
        {
            var factory = Start(path, new Dictionary<string, string?> { ["Cms:AdminKey"] = "" });
            _ = factory.Server;
            var match = System.Text.RegularExpressions.Regex.Match(console.ToString(), @"cms_[A-Za-z0-9_-]{43}");
            Assert.That(match.Success, Is.True, console.ToString());
            key = match.Value;

            var client = factory.Anonymous();
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            Assert.That((await client.GetAsync("/api/v1/comments")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            factory.Dispose();

            console.GetStringBuilder().Clear();
            var restarted = Start(path, new Dictionary<string, string?> { ["Cms:AdminKey"] = "" });
            var again = restarted.Anonymous();
            again.DefaultRequestHeaders.Authorization = new("Bearer", key);
            Assert.That((await again.GetAsync("/api/v1/comments")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the stored hash still accepts the key");
            Assert.That(console.ToString(), Does.Not.Contain(key), "the key is shown only on the start that made it");
        }
        finally
        {
            Console.SetOut(original);
        }

        var storedHash = await Scalar<string>(path, "SELECT hex(key_hash) FROM api_keys");
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.That(storedHash, Is.EqualTo(expected));
        Assert.That(await Scalar<long>(path, $"SELECT COUNT(*) FROM api_keys WHERE prefix = '{key[..8]}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Demo_content_is_seeded_into_an_empty_database_when_asked()
    {
        var factory = Start(NewPath(), new Dictionary<string, string?> { ["Cms:SeedDemoContent"] = "true" });
        var client = factory.Anonymous();

        var article = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles/the-night-the-river-came-to-town"))!;
        var sections = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles/the-night-the-river-came-to-town/sections"))!;
        var quotes = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles/the-night-the-river-came-to-town/pull-quotes"))!;
        var comments = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles/the-night-the-river-came-to-town/comments"))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)article["status"], Is.EqualTo("published"));
            Assert.That(sections["items"]!.AsArray(), Has.Count.EqualTo(4));
            Assert.That(quotes["items"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(comments["items"]!.AsArray(), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Demo_content_is_not_seeded_by_default_outside_development()
    {
        var factory = Start(NewPath(), new Dictionary<string, string?> { ["Cms:SeedDemoContent"] = null });

        var list = JsonNode.Parse(await factory.Anonymous().GetStringAsync("/api/v1/articles"))!;

        Assert.That(list["items"]!.AsArray(), Is.Empty);
    }
}
