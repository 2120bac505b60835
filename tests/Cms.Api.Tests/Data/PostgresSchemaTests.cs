using Cms.Api.Data;
using Cms.Api.Data.Postgres;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cms.Api.Tests.Data;

/// <summary>PostgreSQL's schema and its migrations: numbered as SQLite's, applied once however many nodes start.</summary>
public sealed class PostgresSchemaTests
{
    private TestPostgresDatabase database = null!;

    [SetUp]
    public async Task CreateDatabase() => database = await TestPostgresDatabase.CreateAsync();

    [TearDown]
    public async Task DropDatabase()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    private PostgresMigrator Migrator() => new(database.DataSource, NullLogger<PostgresMigrator>.Instance);

    private const string Now = "2026-01-01T00:00:00.000Z";

    private async Task<long> AddArticleAsync(string title, string status, string body, string? heading = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO articles (slug, title, status, created_at, updated_at) VALUES (@Slug, @Title, @Status, @Now, @Now) RETURNING id",
            new { Slug = Guid.NewGuid().ToString("N"), Title = title, Status = status, Now });
        await connection.ExecuteAsync(
            "INSERT INTO sections (article_id, position, heading, body, created_at, updated_at) VALUES (@Id, 1, @Heading, @Body, @Now, @Now)",
            new { Id = id, Heading = heading, Body = body, Now });
        return id;
    }

    private async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    [Test]
    public async Task Nodes_starting_together_apply_each_migration_once()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator().MigrateAsync(CancellationToken.None))));

        Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(MigrationSet.Postgres.All.Count));
        Assert.That(await ScalarAsync<long>("SELECT MAX(version) FROM schema_migrations"), Is.EqualTo(MigrationSet.Sqlite.All[^1].Version));

        // And a restart finds nothing to do.
        await Migrator().MigrateAsync(CancellationToken.None);
        Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(MigrationSet.Postgres.All.Count));
    }

    [Test]
    public async Task A_database_migrated_by_a_newer_version_is_refused_and_left_as_it_is()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await ScalarAsync<int>("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_from_the_future', @Now)", new { Now });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("newer version of the CMS").And.Contain("9999_from_the_future").And.Contain(MigrationSet.Postgres.All[^1].Name));
        Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(MigrationSet.Postgres.All.Count + 1));

        // The lock was given back: another node is refused the same way instead of waiting for ever.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(CancellationToken.None));
    }

    [Test]
    public async Task A_change_to_searchable_text_makes_the_articles_search_document_due()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        var article = await AddArticleAsync("Café opens by the river", "published", "Nothing else here.");
        var other = await AddArticleAsync("Council meeting", "published", "The new cafe opened on Monday.");
        const string Due = "SELECT article_id FROM article_search_due ORDER BY article_id";
        Assert.That(await ListAsync<long>(Due), Is.EqualTo(new[] { article, other }), "new articles");

        await ScalarAsync<int>("DELETE FROM article_search_due");
        await ScalarAsync<int>("UPDATE sections SET body = 'A café by the weir.' WHERE article_id = @Id", new { Id = article });
        await ScalarAsync<int>("UPDATE articles SET status = 'archived' WHERE id = @Id", new { Id = other });
        Assert.That(await ListAsync<long>(Due), Is.EqualTo(new[] { article }), "a section's text, not a status");

        await ScalarAsync<int>("DELETE FROM article_search_due");
        await ScalarAsync<int>("UPDATE articles SET title = 'Council meets' WHERE id = @Id", new { Id = other });
        Assert.That(await ListAsync<long>(Due), Is.EqualTo(new[] { other }), "a title");
    }

    [Test]
    public async Task A_change_to_what_the_public_sees_makes_the_page_due_and_a_draft_has_none()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        var published = await AddArticleAsync("Published", "published", "Body.");
        var draft = await AddArticleAsync("Draft", "draft", "Body.");
        Assert.That(await ListAsync<long>("SELECT article_id FROM article_pages_due ORDER BY seq"), Is.EqualTo(new[] { published }));

        await ScalarAsync<int>("DELETE FROM article_pages_due");
        await ScalarAsync<int>("UPDATE sections SET body = 'Edited.' WHERE article_id IN (@Published, @Draft)", new { Published = published, Draft = draft });
        Assert.That(await ListAsync<long>("SELECT article_id FROM article_pages_due ORDER BY seq"), Is.EqualTo(new[] { published }));

        // Unpublishing drops the page and renders nothing; publishing the draft makes its page due.
        await ScalarAsync<int>("DELETE FROM article_pages_due");
        await ScalarAsync<int>(
            "INSERT INTO article_pages (article_id, article, sections, pull_quotes, comments, article_modified, section_keys, pull_quote_keys) VALUES (@Id, '', '', '', '', @Now, '', '')",
            new { Id = published, Now });
        await ScalarAsync<int>("UPDATE articles SET status = CASE id WHEN @Published THEN 'draft' ELSE 'published' END WHERE id IN (@Published, @Draft)", new { Published = published, Draft = draft });
        Assert.That(await ListAsync<long>("SELECT article_id FROM article_pages_due ORDER BY seq"), Is.EqualTo(new[] { draft }));
        Assert.That(await ListAsync<long>("SELECT article_id FROM article_pages"), Is.Empty, "the unpublished article's page is gone");
    }

    private async Task<List<long>> ListAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<long>(sql, parameters)).AsList();
    }
}
