namespace Cms.Api.Tests.Caching;

/// <summary>
/// A comment post evicts only the cached public views it changes: a steady stream of comments must not empty the
/// cache that serves every other page.
/// </summary>
public sealed class CommentCacheTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:AutoApprove"] = "true",
        ["Cms:Comments:RateLimitPerMinute"] = "0",
    };

    private long Commands => Factory.Commands;

    private static string Page(string slug) => $"/api/v1/articles/{slug}?include=sections,comments";

    /// <summary>Reads the page; returns its comment bodies and whether the database was touched.</summary>
    private async Task<(string[] Comments, bool FromDatabase)> Read(string url)
    {
        var before = Commands;
        var page = await Expect(await Public.GetAsync(url), HttpStatusCode.OK);
        var comments = (page["comments"] ?? page["items"])!.AsArray().Select(c => (string)c!["body"]!).ToArray();
        return (comments, Commands != before);
    }

    private Task<HttpResponseMessage> Post(string slug, string body, string address) =>
        Public.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{slug}/comments")
        {
            Content = Json(new { name = "Reader", body }),
            Headers = { { CmsFactory.ClientAddressHeader, address } },
        });

    [Test]
    public async Task An_approved_comment_refreshes_its_article_and_leaves_other_pages_cached()
    {
        await CreatePublishedArticle("Harbour news");
        await CreatePublishedArticle("Market news");
        await Read(Page("harbour-news"));
        await Read(Page("market-news"));
        await Read("/api/v1/articles/harbour-news/comments");

        await Expect(await Post("harbour-news", "Lovely boats.", "203.0.113.1"), HttpStatusCode.Created);

        var harbour = await Read(Page("harbour-news"));
        var harbourComments = await Read("/api/v1/articles/harbour-news/comments");
        var market = await Read(Page("market-news"));
        Assert.Multiple(() =>
        {
            Assert.That(harbour, Is.EqualTo((new[] { "Lovely boats." }, true)));
            Assert.That(harbourComments, Is.EqualTo((new[] { "Lovely boats." }, true)));
            Assert.That(market, Is.EqualTo((Array.Empty<string>(), false)), "another article's page is still served from memory");
        });
    }

    [Test]
    public async Task A_comment_held_for_moderation_or_caught_as_spam_evicts_nothing()
    {
        await CreatePublishedArticle("Harbour news");
        await Read(Page("harbour-news"));

        // More than two links: held for moderation even with auto-approve.
        var held = await Post("harbour-news", "See https://a.example https://b.example https://c.example", "203.0.113.2");
        var spam = await Public.PostAsync("/api/v1/articles/harbour-news/comments", Json(new { name = "Bot", body = "Pills", website2 = "x" }));

        Assert.Multiple(async () =>
        {
            Assert.That(held.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(spam.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(await Read(Page("harbour-news")), Is.EqualTo((Array.Empty<string>(), false)));
        });
    }

    [Test]
    public async Task Approving_a_held_comment_shows_it_on_the_cached_page()
    {
        await CreatePublishedArticle("Harbour news");
        var held = await Expect(await Post("harbour-news", "See https://a.example https://b.example https://c.example", "203.0.113.3"), HttpStatusCode.Created);
        await Read(Page("harbour-news"));

        await Expect(await Patch(Editor, $"/api/v1/comments/{held["id"]}", """{"status":"approved"}"""), HttpStatusCode.OK);

        Assert.That((await Read(Page("harbour-news"))).Comments, Has.Length.EqualTo(1));
    }
}
