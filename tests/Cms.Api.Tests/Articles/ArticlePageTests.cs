namespace Cms.Api.Tests.Articles;

/// <summary>One request renders a page: include, one database round trip, caching headers, ETags.</summary>
public sealed class ArticlePageTests : ApiTest
{
    private long articleId;
    private long[] sectionIds = [];

    [SetUp]
    public async Task CreateAPage()
    {
        articleId = (long)(await CreatePublishedArticle("Harbour ferry returns"))["id"]!;
        sectionIds =
        [
            (long)(await CreateSection(articleId, new { body = "Intro.\n\nMore." }))["id"]!,
            (long)(await CreateSection(articleId, new { heading = "Fares", body = "Cheap." }))["id"]!,
        ];
        await Expect(await Editor.PostAsync($"/api/v1/articles/{articleId}/pull-quotes", Json(new { text = "About time.", sectionId = sectionIds[0], afterParagraph = 1 })), HttpStatusCode.Created);
        var approved = await Expect(await Public.PostAsync($"/api/v1/articles/{articleId}/comments", Json(new { name = "Ann", email = "ann@example.org", body = "Yes!" })), HttpStatusCode.Created);
        await Expect(await Patch(Editor, $"/api/v1/comments/{approved["id"]}", """{"status":"approved"}"""), HttpStatusCode.OK);
        await Expect(await Public.PostAsync($"/api/v1/articles/{articleId}/comments", Json(new { name = "Bob", body = "Pending one" })), HttpStatusCode.Created);
    }

    private string PageUrl => $"/api/v1/articles/harbour-ferry-returns?include=sections,pullQuotes,comments";

    private long Commands => Factory.Commands;

    [Test]
    public async Task Include_returns_the_whole_page_from_one_database_round_trip()
    {
        var before = Commands;
        var response = await Public.GetAsync(PageUrl);
        var commands = Commands - before;

        var page = await Expect(response, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(commands, Is.EqualTo(1), $"article, sections, pull-quotes and comments in one command, not {commands}");
            Assert.That(page["sections"]!.AsArray().Select(s => (long)s!["id"]!), Is.EqualTo(sectionIds));
            Assert.That(page["pullQuotes"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(page["comments"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "Ann" }), "approved only for the public");
            Assert.That(page.ToJsonString(), Does.Not.Contain("ann@example.org"));
            Assert.That(page.ContainsKey("commentsNextCursor"), Is.False);
        });
    }

    [Test]
    public async Task A_repeated_public_read_is_served_from_memory_until_a_write()
    {
        var first = await (await Public.GetAsync(PageUrl)).Content.ReadAsStringAsync();
        var before = Commands;
        var second = await (await Public.GetAsync(PageUrl)).Content.ReadAsStringAsync();
        var commandsForHit = Commands - before;

        await Expect(await Patch(Editor, $"/api/v1/sections/{sectionIds[0]}", """{"heading":"New heading"}"""), HttpStatusCode.OK);
        var afterWrite = await Body(await Public.GetAsync(PageUrl));
        var keyed = await Body(await Editor.GetAsync(PageUrl));

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(commandsForHit, Is.Zero, "a cache hit does not touch the database");
            Assert.That((string?)afterWrite["sections"]![0]!["heading"], Is.EqualTo("New heading"), "a write empties the cache");
            Assert.That(keyed["comments"]!.AsArray(), Has.Count.EqualTo(2), "keyed requests never get the public cached page");
        });
    }

    [Test]
    public async Task Simultaneous_readers_of_a_page_not_yet_cached_share_one_database_read()
    {
        var before = Commands;

        var pages = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ => await (await Public.GetAsync(PageUrl)).Content.ReadAsStringAsync()));

        Assert.Multiple(() =>
        {
            Assert.That(pages.Distinct().Count(), Is.EqualTo(1));
            Assert.That(Commands - before, Is.EqualTo(1), "one request made the page; the others waited for it");
        });
    }

    [Test]
    public async Task If_Modified_Since_gives_304_from_memory_as_from_the_database()
    {
        var first = await Public.GetAsync(PageUrl);
        var lastModified = first.Content.Headers.LastModified!.Value;

        HttpRequestMessage Since(string url, DateTimeOffset since) =>
            new(HttpMethod.Get, url) { Headers = { IfModifiedSince = since } };
        var before = Commands;
        var fromMemory = await Public.SendAsync(Since(PageUrl, lastModified));
        var commandsForHit = Commands - before;
        var fromDatabase = await Public.SendAsync(Since("/api/v1/articles/harbour-ferry-returns?include=comments,pullQuotes,sections", lastModified));
        var older = await Public.SendAsync(Since(PageUrl, lastModified.AddSeconds(-1)));

        Assert.Multiple(() =>
        {
            Assert.That(fromMemory.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(commandsForHit, Is.Zero);
            Assert.That(fromDatabase.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(older.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Editors_see_every_comment_with_emails_in_the_page()
    {
        var page = await Expect(await Editor.GetAsync(PageUrl), HttpStatusCode.OK);

        Assert.That(page["comments"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "Ann", "Bob" }));
        Assert.That((string?)page["comments"]![0]!["email"], Is.EqualTo("ann@example.org"));
    }

    [Test]
    public async Task Without_include_the_article_has_no_parts_and_unknown_parts_are_400()
    {
        var plain = await Expect(await Public.GetAsync($"/api/v1/articles/{articleId}"), HttpStatusCode.OK);
        var onlySections = await Expect(await Public.GetAsync($"/api/v1/articles/{articleId}?include=sections"), HttpStatusCode.OK);
        var messages = await ExpectFieldError(await Public.GetAsync($"/api/v1/articles/{articleId}?include=sections,authors"), "include");

        Assert.Multiple(() =>
        {
            Assert.That(plain.ContainsKey("sections") || plain.ContainsKey("comments") || plain.ContainsKey("pullQuotes"), Is.False);
            Assert.That(onlySections.ContainsKey("sections") && !onlySections.ContainsKey("comments"), Is.True);
            Assert.That(messages, Has.Some.Contains("authors"));
        });
    }

    [Test]
    public async Task Public_responses_are_cacheable_with_surrogate_keys_and_keyed_ones_private()
    {
        var publicResponse = await Public.GetAsync(PageUrl);
        var keyedResponse = await Editor.GetAsync(PageUrl);

        Assert.Multiple(() =>
        {
            Assert.That(publicResponse.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=60, stale-while-revalidate=300"));
            Assert.That(publicResponse.Headers.ETag?.IsWeak, Is.False);
            Assert.That(publicResponse.Content.Headers.LastModified, Is.Not.Null);
            var keys = publicResponse.Headers.GetValues("Surrogate-Key").Single().Split(' ');
            Assert.That(keys, Is.SupersetOf(new[] { $"article-{articleId}", $"section-{sectionIds[0]}", $"section-{sectionIds[1]}", $"comments-article-{articleId}" }));
            Assert.That(publicResponse.Headers.Vary, Does.Contain("Authorization"));
            Assert.That(keyedResponse.Headers.CacheControl?.ToString(), Is.EqualTo("no-store, private"));
            Assert.That(keyedResponse.Headers.Contains("Surrogate-Key"), Is.False);
        });
    }

    [Test]
    public async Task If_None_Match_gives_304_until_anything_on_the_page_changes()
    {
        var etag = (await Public.GetAsync(PageUrl)).Headers.ETag!.Tag;

        async Task<HttpResponseMessage> Conditional(string tag)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, PageUrl);
            request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            return await Public.SendAsync(request);
        }

        var notModified = await Conditional(etag);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(notModified.Headers.ETag?.Tag, Is.EqualTo(etag));

        await Expect(await Patch(Editor, $"/api/v1/sections/{sectionIds[1]}", """{"heading":"Fares and times"}"""), HttpStatusCode.OK);
        var afterSection = await Conditional(etag);
        Assert.That(afterSection.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a section change changes the page's ETag");

        var etag2 = afterSection.Headers.ETag!.Tag;
        var pending = (await Body(await Editor.GetAsync("/api/v1/comments?status=pending")))["items"]![0]!["id"];
        await Expect(await Patch(Editor, $"/api/v1/comments/{pending}", """{"status":"approved"}"""), HttpStatusCode.OK);
        var afterApproval = await Conditional(etag2);
        Assert.That(afterApproval.StatusCode, Is.EqualTo(HttpStatusCode.OK), "approving a comment changes the page's ETag");
        Assert.That((await Conditional(afterApproval.Headers.ETag!.Tag)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase("/api/v1/articles")]
    [TestCase("/api/v1/articles/harbour-ferry-returns")]
    [TestCase("/api/v1/articles/harbour-ferry-returns/sections")]
    [TestCase("/api/v1/articles/harbour-ferry-returns/pull-quotes")]
    [TestCase("/api/v1/articles/harbour-ferry-returns/comments")]
    [TestCase("/api/v1/sections/{section}")]
    [TestCase("/api/v1/pull-quotes/1")]
    public async Task Every_public_read_has_an_etag_and_answers_304(string url)
    {
        url = url.Replace("{section}", sectionIds[0].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var first = await Public.GetAsync(url);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Headers.ETag, Is.Not.Null);

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await Public.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(first.Headers.CacheControl?.Public, Is.True);
    }

    [Test]
    public async Task The_comment_list_etag_changes_when_a_comment_is_approved()
    {
        var url = $"/api/v1/articles/{articleId}/comments";
        var before = (await Public.GetAsync(url)).Headers.ETag!.Tag;
        var pending = (await Body(await Editor.GetAsync("/api/v1/comments?status=pending")))["items"]![0]!["id"];

        await Expect(await Patch(Editor, $"/api/v1/comments/{pending}", """{"status":"approved"}"""), HttpStatusCode.OK);

        Assert.That((await Public.GetAsync(url)).Headers.ETag!.Tag, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task More_comments_than_the_page_embeds_give_a_cursor_to_the_rest()
    {
        for (var i = 0; i < 55; i++)
        {
            await Expect(await Editor.PostAsync($"/api/v1/articles/{articleId}/comments", Json(new { name = $"N{i}", body = "x" })), HttpStatusCode.Created);
        }

        var page = await Expect(await Editor.GetAsync(PageUrl), HttpStatusCode.OK);
        var cursor = (string?)page["commentsNextCursor"];
        var rest = await Expect(await Editor.GetAsync($"/api/v1/articles/{articleId}/comments?limit=100&cursor={Uri.EscapeDataString(cursor!)}"), HttpStatusCode.OK);

        Assert.That(page["comments"]!.AsArray(), Has.Count.EqualTo(50));
        Assert.That(page["comments"]!.AsArray().Concat(rest["items"]!.AsArray()).Select(c => (long)c!["id"]!).Distinct().Count(), Is.EqualTo(57));
    }
}
