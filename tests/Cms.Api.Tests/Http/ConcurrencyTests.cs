namespace Cms.Api.Tests.Http;

/// <summary>Safe concurrent edits: If-Match on every write, 412 on a stale ETag, 428 when required.</summary>
public sealed class ConcurrencyTests : ApiTest
{
    private static HttpRequestMessage WithIfMatch(HttpMethod method, string url, string etag, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    private async Task<(string Url, string ETag)> Read(string url)
    {
        var response = await Editor.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (url, response.Headers.ETag!.Tag);
    }

    [Test]
    public async Task A_stale_etag_gets_412_naming_the_current_version_and_nothing_is_lost()
    {
        var article = await CreateArticle(new { title = "Original" });
        var (url, etag) = await Read($"/api/v1/articles/{article["id"]}");

        var first = await Editor.SendAsync(WithIfMatch(HttpMethod.Put, url, etag, Json(new { title = "Editor A" })));
        var second = await Editor.SendAsync(WithIfMatch(HttpMethod.Put, url, etag, Json(new { title = "Editor B" })));

        var firstBody = await Expect(first, HttpStatusCode.OK);
        var problem = await ExpectProblem(second, HttpStatusCode.PreconditionFailed);
        Assert.Multiple(async () =>
        {
            Assert.That(first.Headers.ETag!.Tag, Is.Not.EqualTo(etag));
            Assert.That((int?)problem["currentVersion"], Is.EqualTo(2));
            Assert.That((string?)problem["currentETag"], Is.EqualTo(first.Headers.ETag!.Tag));
            Assert.That((string?)problem["detail"], Does.Contain("version 2"));
            Assert.That(second.Headers.ETag?.Tag, Is.EqualTo(first.Headers.ETag!.Tag));
            Assert.That((string?)(await Body(await Editor.GetAsync(url)))["title"], Is.EqualTo("Editor A"));
            Assert.That((string?)firstBody["title"], Is.EqualTo("Editor A"));
        });
    }

    [Test]
    public async Task The_etag_a_write_returns_is_the_one_the_next_read_returns()
    {
        var created = await Editor.PostAsync("/api/v1/articles", Json(new { title = "Fresh" }));
        var id = (await Body(created))["id"];

        var read = await Editor.GetAsync($"/api/v1/articles/{id}");

        Assert.That(created.Headers.ETag?.Tag, Is.EqualTo(read.Headers.ETag?.Tag));
    }

    [Test]
    public async Task If_Match_guards_patch_delete_and_publish_on_every_resource()
    {
        var articleId = (long)(await CreatePublishedArticle())["id"]!;
        var section = await CreateSection(articleId, new { body = "x" });
        var quote = await Expect(await Editor.PostAsync($"/api/v1/articles/{articleId}/pull-quotes", Json(new { text = "Q" })), HttpStatusCode.Created);
        var comment = await Expect(await Public.PostAsync($"/api/v1/articles/{articleId}/comments", Json(new { name = "N", body = "B" })), HttpStatusCode.Created);
        const string stale = "\"stale-etag\"";

        foreach (var url in new[] { $"/api/v1/articles/{articleId}", $"/api/v1/sections/{section["id"]}", $"/api/v1/pull-quotes/{quote["id"]}", $"/api/v1/comments/{comment["id"]}" })
        {
            var patchField = url.Contains("comments", StringComparison.Ordinal) ? """{"status":"approved"}""" : url.Contains("sections", StringComparison.Ordinal) ? """{"heading":"h"}""" : url.Contains("pull-quotes", StringComparison.Ordinal) ? """{"attribution":"a"}""" : """{"byline":"b"}""";
            await ExpectProblem(await Editor.SendAsync(WithIfMatch(HttpMethod.Patch, url, stale, Json(patchField, "application/merge-patch+json"))), HttpStatusCode.PreconditionFailed);
            await ExpectProblem(await Editor.SendAsync(WithIfMatch(HttpMethod.Delete, url, stale)), HttpStatusCode.PreconditionFailed);
            await ExpectProblem(await Editor.SendAsync(WithIfMatch(HttpMethod.Delete, url, "W/" + (await Read(url)).ETag)), HttpStatusCode.PreconditionFailed);

            var (_, current) = await Read(url);
            await Expect(await Editor.SendAsync(WithIfMatch(HttpMethod.Patch, url, current, Json(patchField, "application/merge-patch+json"))), HttpStatusCode.OK);
        }

        await ExpectProblem(await Editor.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/articles/{articleId}/unpublish", stale)), HttpStatusCode.PreconditionFailed);
        var (articleUrl, articleTag) = await Read($"/api/v1/articles/{articleId}");
        await Expect(await Editor.SendAsync(WithIfMatch(HttpMethod.Delete, articleUrl, "*")), HttpStatusCode.NoContent);
        Assert.That(articleTag, Is.Not.Empty);
    }

    [Test]
    public async Task Concurrent_patches_of_different_fields_both_land()
    {
        var article = await CreateArticle(new { title = "Shared" });
        var url = $"/api/v1/articles/{article["id"]}";

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => i % 2 == 0
            ? Patch(Editor, url, $$"""{"byline":"byline {{i}}"}""")
            : Patch(Editor, url, $$"""{"standfirst":"standfirst {{i}}"}""")));

        var final = await Body(await Editor.GetAsync(url));
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)final["byline"], Does.StartWith("byline "));
            Assert.That((string?)final["standfirst"], Does.StartWith("standfirst "));
            Assert.That((int?)final["version"], Is.EqualTo(11));
        });
    }
}

public sealed class RequiredIfMatchTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:RequireIfMatch"] = "true" };

    [Test]
    public async Task Writes_without_If_Match_get_428_and_with_it_succeed()
    {
        var article = await CreateArticle(new { title = "Guarded" });
        var url = $"/api/v1/articles/{article["id"]}";

        var problem = await ExpectProblem(await Patch(Editor, url, """{"byline":"x"}"""), HttpStatusCode.PreconditionRequired);
        await ExpectProblem(await Editor.DeleteAsync(url), HttpStatusCode.PreconditionRequired);
        await ExpectProblem(await Editor.PutAsync(url, Json(new { title = "x" })), HttpStatusCode.PreconditionRequired);

        var etag = (await Editor.GetAsync(url)).Headers.ETag!.Tag;
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json("""{"byline":"x"}""", "application/merge-patch+json") };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        await Expect(await Editor.SendAsync(request), HttpStatusCode.OK);
        Assert.That((string?)problem["detail"], Does.Contain("If-Match"));
    }
}
