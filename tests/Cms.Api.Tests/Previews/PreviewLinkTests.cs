namespace Cms.Api.Tests.Previews;

public sealed class PreviewLinkTests : ApiTest
{
    private async Task<(long Id, JsonObject Link)> DraftWithLink(object? body = null)
    {
        var draft = await CreateArticle(new { title = "Council budget leaked", standfirst = "Not yet for readers." });
        var id = (long)draft["id"]!;
        await CreateSection(id, new { body = "The draft's first paragraph." });
        var link = await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/preview-link", body is null ? null : Json(body)), HttpStatusCode.OK);
        return (id, link);
    }

    private Task<HttpResponseMessage> Open(JsonObject link, string include = "") =>
        Public.GetAsync(new Uri((string)link["url"]!).PathAndQuery + include);

    [Test]
    public async Task A_link_shows_the_draft_without_a_key_read_only_and_never_cached()
    {
        var (id, link) = await DraftWithLink();

        var shown = await Open(link, "&include=sections");
        var page = await Expect(shown, HttpStatusCode.OK);
        var again = await Open(link);

        Assert.Multiple(async () =>
        {
            Assert.That((string?)page["title"], Is.EqualTo("Council budget leaked"));
            Assert.That((string?)page["status"], Is.EqualTo("draft"));
            Assert.That((string?)page["sections"]![0]!["body"], Is.EqualTo("The draft's first paragraph."));
            Assert.That(shown.Headers.CacheControl is { Private: true, NoStore: true, Public: false }, Is.True, $"{shown.Headers.CacheControl}");
            Assert.That(shown.Headers.Contains("Surrogate-Key"), Is.False);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Public.GetAsync($"/api/v1/articles/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "without the token, still a draft");
            Assert.That((await Public.DeleteAsync(new Uri((string)link["url"]!).PathAndQuery)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "read-only");
            Assert.That((DateTimeOffset)link["expiresAt"]!, Is.EqualTo(Factory.Clock.GetUtcNow().AddHours(24)));
        });
    }

    [Test]
    public async Task A_tampered_token_or_one_for_another_article_opens_nothing()
    {
        var (id, link) = await DraftWithLink();
        var other = (long)(await CreateArticle(new { title = "Another draft" }))["id"]!;
        var token = (string)link["token"]!;
        var forged = token[..^2] + (token[^2] == 'A' ? "BA" : "AA");
        var longer = token.Split('.') is var parts ? $"{parts[0]}.{long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 86400}.{parts[2]}" : "";

        Assert.Multiple(async () =>
        {
            Assert.That((await Public.GetAsync($"/api/v1/articles/{id}?preview={forged}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await Public.GetAsync($"/api/v1/articles/{id}?preview={longer}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the expiry is signed");
            Assert.That((await Public.GetAsync($"/api/v1/articles/{other}?preview={token}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await Public.GetAsync($"/api/v1/articles/{id}?preview=garbage")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task A_link_expires()
    {
        var (_, link) = await DraftWithLink(new { expiresIn = 3600 });

        Factory.Clock.Advance(TimeSpan.FromMinutes(59));
        var before = await Open(link);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await Open(link);

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Publishing_revokes_the_link_for_good_and_a_published_article_gets_none()
    {
        var (id, link) = await DraftWithLink();

        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/publish", null), HttpStatusCode.OK);
        var whilePublished = await Open(link);
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/unpublish", null), HttpStatusCode.OK);
        var afterUnpublish = await Open(link);
        var refused = await Editor.PostAsync($"/api/v1/articles/{id}/publish", null);
        var none = await ExpectProblem(await Editor.PostAsync($"/api/v1/articles/{id}/preview-link", null), HttpStatusCode.Conflict);

        Assert.Multiple(() =>
        {
            Assert.That(whilePublished.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a published article shows as everyone sees it");
            Assert.That(whilePublished.Headers.CacheControl!.Public, Is.True);
            Assert.That(afterUnpublish.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a link made before publication never shows a later draft");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)none["detail"], Does.Contain("published"));
        });
    }

    [Test]
    public async Task Revoking_stops_every_link_and_new_ones_work()
    {
        var (_, first) = await DraftWithLink();
        var (_, second) = await DraftWithLink();

        await Expect(await Editor.DeleteAsync("/api/v1/preview-links"), HttpStatusCode.NoContent);
        var (_, fresh) = await DraftWithLink();

        Assert.Multiple(async () =>
        {
            Assert.That((await Open(first)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await Open(second)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await Open(fresh)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCase(59)]
    [TestCase(604801)]
    public async Task ExpiresIn_is_a_minute_to_seven_days(int seconds)
    {
        var draft = (long)(await CreateArticle())["id"]!;

        var errors = await ExpectFieldError(await Editor.PostAsync($"/api/v1/articles/{draft}/preview-link", Json(new { expiresIn = seconds })), "expiresIn");

        Assert.That(errors, Has.Some.Contains("604800"));
    }

    [Test]
    public async Task An_unknown_article_is_404()
    {
        await ExpectProblem(await Editor.PostAsync("/api/v1/articles/no-such-article/preview-link", null), HttpStatusCode.NotFound);
    }
}
