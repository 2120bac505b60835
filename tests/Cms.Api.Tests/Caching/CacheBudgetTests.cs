using Cms.Api.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Caching;

/// <summary>
/// The response cache keeps within Cms:Caching:MaxMegabytes: past it, the responses least recently read go, so pages
/// read often stay in memory while the long tail passes through.
/// </summary>
public sealed class CacheBudgetTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Caching:MaxMegabytes"] = "1" };

    private ResponseCache Cache => Factory.Services.GetRequiredService<ResponseCache>();

    private async Task<bool> ReadFromDatabase(string url)
    {
        var before = Factory.Commands;
        Assert.That((await Public.GetAsync(url)).StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        return Factory.Commands != before;
    }

    [Test]
    public async Task Past_its_budget_the_cache_keeps_what_is_read_often_and_lets_the_rest_go()
    {
        var pages = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var id = (long)(await CreatePublishedArticle($"Long read {i}"))["id"]!;
            await CreateSection(id, new { body = new string((char)('a' + (i % 26)), 100_000) });
            pages.Add($"/api/v1/articles/{id}?include=sections");
        }

        var hot = pages[0];
        await ReadFromDatabase(hot);
        var hotFromDatabase = 0;
        foreach (var page in pages.Skip(1))
        {
            await ReadFromDatabase(page);
            hotFromDatabase += await ReadFromDatabase(hot) ? 1 : 0;
        }

        var coldServedFromMemory = 0;
        foreach (var page in pages.Skip(1).Take(10))
        {
            coldServedFromMemory += await ReadFromDatabase(page) ? 0 : 1;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Cache.Bytes, Is.LessThanOrEqualTo(1024 * 1024), "within the budget");
            Assert.That(Cache.Count, Is.InRange(2, 10), "as many pages as fit");
            Assert.That(Cache.IndexedSurrogateKeys, Is.LessThanOrEqualTo(3 * Cache.Count), "only the evicted pages' article and section keys left the index");
            Assert.That(hotFromDatabase, Is.Zero, "the page read after every other stays in memory");
            Assert.That(coldServedFromMemory, Is.Zero, "the oldest of the once-read pages have gone");
        });
    }

    [Test]
    public async Task Evicted_and_invalidated_responses_are_no_longer_counted()
    {
        var id = (long)(await CreatePublishedArticle("Short"))["id"]!;
        await ReadFromDatabase($"/api/v1/articles/{id}");
        var cached = Cache.Bytes;

        await Expect(await Patch(Editor, $"/api/v1/articles/{id}", """{"title":"Shorter"}"""), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(cached, Is.GreaterThan(0));
            Assert.That(Cache.Bytes, Is.Zero);
            Assert.That(Cache.Count, Is.Zero);
        });
    }
}
