namespace Cms.Api.Tests.Comments;

/// <summary>
/// Comment posts that arrive together are written together (group commit): every rule must still hold between the
/// posts of one batch, and every 201 must be a comment that is really there.
/// </summary>
public sealed class ConcurrentCommentTests : ApiTest
{
    private long articleId;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:AutoApprove"] = "true",
        // Off, so only the comment rules themselves can refuse a post here.
        ["Cms:Comments:RateLimitPerMinute"] = "0",
    };

    [SetUp]
    public async Task CreateArticle() => articleId = (long)(await CreatePublishedArticle())["id"]!;

    private Task<HttpResponseMessage> Post(object body, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{articleId}/comments") { Content = Json(body) };
        request.Headers.Add(CmsFactory.ClientAddressHeader, address);
        return Public.SendAsync(request);
    }

    [Test]
    public async Task Every_201_of_many_simultaneous_posts_is_a_stored_comment_exactly_as_answered()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 40).Select(i =>
            Post(new { name = $"Reader {i}", email = $"reader{i}@example.org", body = $"Comment number {i}." }, $"203.0.113.{i}")));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        var created = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        foreach (var (response, body) in responses.Zip(created))
        {
            var stored = await Public.GetAsync(response.Headers.Location);
            Assert.That(await stored.Content.ReadAsStringAsync(), Is.EqualTo(body), "the 201 body is what a read of the comment returns");
            Assert.That(stored.Headers.ETag, Is.EqualTo(response.Headers.ETag));
        }

        var list = await Body(await Public.GetAsync($"/api/v1/articles/{articleId}/comments?limit=100"));
        Assert.That(list["items"]!.AsArray().Select(c => (string?)c!["body"]),
            Is.EquivalentTo(Enumerable.Range(1, 40).Select(i => $"Comment number {i}.")));
    }

    [Test]
    public async Task Of_simultaneous_posts_from_one_address_exactly_one_gets_through_flood_control()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            Post(new { name = $"Reader {i}", body = $"Hurried comment {i}." }, "203.0.113.50")));

        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(11));
        });
    }

    [Test]
    public async Task Of_the_same_comment_posted_simultaneously_exactly_one_is_stored()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            Post(new { name = "Ann", body = "Posted twice by a double click." }, $"203.0.113.{100 + i}")));

        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(11));
        });
    }

    [Test]
    public async Task Simultaneous_replies_are_each_checked_against_their_own_parent()
    {
        var parent = (long)(await Expect(await Post(new { name = "Ann", body = "The first word." }, "203.0.113.200"), HttpStatusCode.Created))["id"]!;
        var other = (long)(await CreatePublishedArticle())["id"]!;
        var elsewhere = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{other}/comments") { Content = Json(new { name = "Bo", body = "On another story." }) };
        elsewhere.Headers.Add(CmsFactory.ClientAddressHeader, "203.0.113.201");
        var foreign = (long)(await Expect(await Public.SendAsync(elsewhere), HttpStatusCode.Created))["id"]!;

        var parents = new long?[] { parent, 999_999, parent, foreign, null, parent };
        var responses = await Task.WhenAll(parents.Select((parentId, i) =>
            Post(new { name = $"Reader {i}", body = $"Reply {i}.", parentId }, $"203.0.113.{210 + i}")));

        Assert.That(responses.Select(r => r.StatusCode), Is.EqualTo(new[]
        {
            HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.Created, HttpStatusCode.BadRequest,
            HttpStatusCode.Created, HttpStatusCode.Created,
        }));
        var replies = await Body(await Public.GetAsync($"/api/v1/articles/{articleId}/comments?include=replies&limit=100"));
        var first = replies["items"]!.AsArray().Single(c => (long)c!["id"]! == parent)!;
        Assert.That(first["replies"]!.AsArray().Select(r => (string?)r!["body"]), Is.EquivalentTo(new[] { "Reply 0.", "Reply 2.", "Reply 5." }));
    }

    [Test]
    public async Task Simultaneous_posts_and_article_edits_all_succeed()
    {
        var posts = Enumerable.Range(1, 20).Select(i => Post(new { name = $"Reader {i}", body = $"Alongside an edit {i}." }, $"198.51.100.{i}"));
        var edits = Enumerable.Range(1, 5).Select(i => Editor.PostAsync(
            $"/api/v1/articles/{articleId}/sections", Json(new { heading = $"Part {i}", body = "Text." })));

        var responses = await Task.WhenAll(posts.Concat(edits));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        var article = await Body(await Public.GetAsync($"/api/v1/articles/{articleId}?include=sections,comments"));
        Assert.Multiple(() =>
        {
            Assert.That(article["sections"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That(article["comments"]!.AsArray(), Has.Count.EqualTo(20));
        });
    }
}
