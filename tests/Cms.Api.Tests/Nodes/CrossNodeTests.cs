using System.Diagnostics;
using Cms.Api.Caching;
using Cms.Api.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Nodes;

/// <summary>Two nodes on one PostgreSQL database: what one writes, the other serves at once.</summary>
[Category(Engines.PostgresOnly)]
public sealed class CrossNodeTests : ApiTest
{
    private CmsFactory nodeB = null!;
    private HttpClient publicB = null!;
    private HttpClient editorB = null!;

    [SetUp]
    public void StartSecondNode()
    {
        nodeB = Factory.AnotherNode();
        publicB = nodeB.Anonymous();
        editorB = nodeB.Editor();
    }

    [TearDown]
    public void StopSecondNode()
    {
        publicB.Dispose();
        editorB.Dispose();
        nodeB.Dispose();
    }

    [Test]
    public async Task A_write_on_one_node_evicts_the_other_nodes_cached_page()
    {
        // Node B hears of the article's creation too, after A answers: it is read on B once that news is in.
        var created = HeardOnB(SurrogateKeys.Lists);
        var article = await CreatePublishedArticle("Harbour ferry returns");
        await created.WaitAsync(TimeSpan.FromSeconds(10));
        var url = $"/api/v1/articles/{(long)article["id"]!}";
        Assert.That((string?)(await Expect(await publicB.GetAsync(url), HttpStatusCode.OK))["title"], Is.EqualTo("Harbour ferry returns"));
        var cacheB = nodeB.Services.GetRequiredService<ResponseCache>();
        Assert.That(cacheB.Count, Is.EqualTo(1), "node B keeps the page in its cache");

        var edited = HeardOnB(SurrogateKeys.Article((long)article["id"]!));
        var clock = Stopwatch.StartNew();
        await Expect(await Editor.PatchAsync(url, Json("""{"title":"Harbour ferry returns on Monday"}""", "application/merge-patch+json")), HttpStatusCode.OK);
        await edited.WaitAsync(TimeSpan.FromSeconds(10));
        TestContext.Out.WriteLine($"Node B heard node A's write {clock.Elapsed.TotalMilliseconds:F1} ms after it was sent.");
        Assert.That(cacheB.Count, Is.Zero, "node B evicted the page");

        Assert.That((string?)(await Expect(await publicB.GetAsync(url), HttpStatusCode.OK))["title"], Is.EqualTo("Harbour ferry returns on Monday"));
    }

    /// <summary>Completes when node B announces a change to the view <paramref name="key"/> names.</summary>
    private Task HeardOnB(string key)
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        nodeB.Services.GetRequiredService<CmsDatabase>().ChangesCommitted += keys =>
        {
            if (keys.Contains(key))
            {
                heard.TrySetResult();
            }
        };
        return heard.Task;
    }

    [Test]
    public async Task Two_editors_on_two_nodes_cannot_both_save_over_the_same_version()
    {
        var article = await CreateArticle(new { title = "Council budget" });
        var url = $"/api/v1/articles/{(long)article["id"]!}";

        async Task<HttpStatusCode> SaveAsync(HttpClient editor, string etag, string title)
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json($$"""{"title":"{{title}}"}""", "application/merge-patch+json") };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return (await editor.SendAsync(request)).StatusCode;
        }

        // Many rounds: a lost update needs both saves to read the row before either writes, which a round may not hit.
        for (var round = 0; round < 20; round++)
        {
            var etag = (await Editor.GetAsync(url)).Headers.ETag!.ToString();
            var outcomes = await Task.WhenAll(SaveAsync(Editor, etag, $"Council budget passed {round}"), SaveAsync(editorB, etag, $"Council budget delayed {round}"));
            Assert.That(outcomes, Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }), $"round {round}");
        }
    }

    [Test]
    public async Task A_scheduled_article_is_published_once_however_many_nodes_poll()
    {
        var article = await CreateArticle(new { title = "Election night", status = "scheduled", publishAt = "2026-11-25T10:00:00Z" });
        var url = $"/api/v1/articles/{(long)article["id"]!}";
        Factory.Clock.Advance(TimeSpan.FromHours(2));
        nodeB.Clock.Advance(TimeSpan.FromHours(2));

        var page = await PollUntilPublishedAsync(url);
        Assert.That((long)page["version"]!, Is.EqualTo(2), "one publish: the version moved once");
    }

    private async Task<JsonObject> PollUntilPublishedAsync(string url)
    {
        // The publishers run on their own timers once the clocks pass publishAt; the answer is awaited, not timed.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var page = await Expect(await Editor.GetAsync(url), HttpStatusCode.OK);
            if ((string?)page["status"] == "published" || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                return page;
            }

            await Task.Yield();
        }
    }
}
