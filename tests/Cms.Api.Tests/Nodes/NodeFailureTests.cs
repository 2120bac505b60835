using Cms.Api.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Nodes;

/// <summary>
/// One node of two dying in the middle of a write: the database ends its sessions (as it does when a process dies),
/// which rolls its transaction back and frees the write lock; nothing it acknowledged is lost, nothing it had not is
/// kept, and the other node goes on serving and writing at once.
/// </summary>
[Category(Engines.PostgresOnly)]
public sealed class NodeFailureTests : ApiTest
{
    private const string HeldWriteLocks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted";

    [Test]
    public async Task A_node_dying_mid_write_loses_nothing_acknowledged_and_the_other_node_writes_at_once()
    {
        using var nodeB = Factory.AnotherNode();
        using var editorB = nodeB.Editor();
        var acknowledged = (long)(await CreatePublishedArticle("Written before the crash"))["id"]!;

        // Node A is half-way through a write when it dies: its transaction holds the write lock and an uncommitted row.
        var write = await Factory.Services.GetRequiredService<CmsDatabase>().BeginWriteAsync(CancellationToken.None);
        await write.ExecuteAsync("""
            INSERT INTO articles (slug, title, status, created_at, updated_at)
            VALUES ('half-written', 'Half written', 'published', '2026-11-25T09:00:00.000Z', '2026-11-25T09:00:00.000Z')
            """);
        Assert.That(nodeB.Scalar(HeldWriteLocks), Is.EqualTo(1), "node A's write holds the write lock");
        Assert.That(nodeB.Scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted"), Is.EqualTo(1));
        try
        {
            await write.DisposeAsync();
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
        {
            // Its connection is gone, as the process is.
        }

        Factory.Dispose();

        var written = await editorB.PostAsync("/api/v1/articles", Json(new { title = "Written after the crash", status = "published" }));
        Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created), "node B writes without waiting for the dead node's lock");
        var titles = (await Expect(await editorB.GetAsync("/api/v1/articles?limit=100"), HttpStatusCode.OK))["items"]!.AsArray()
            .Select(a => (string)a!["title"]!).ToList();
        Assert.That(titles, Is.EquivalentTo(new[] { "Written before the crash", "Written after the crash" }), "nothing of the unfinished write is kept");
        await Expect(await nodeB.Anonymous().GetAsync($"/api/v1/articles/{acknowledged}"), HttpStatusCode.OK);
    }
}
