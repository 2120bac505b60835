namespace Cms.Api.Tests.Articles;

/// <summary>Replacing, patching, publishing and deleting an article.</summary>
public sealed class ArticleEditTests : ApiTest
{
    [Test]
    public async Task Put_replaces_fields_bumps_the_version_and_keeps_slug_and_status_when_omitted()
    {
        var article = await CreateArticle(new { title = "Old title", standfirst = "Old standfirst", byline = "Ada", status = "published" });
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = await Expect(await Editor.PutAsync($"/api/v1/articles/{article["id"]}", Json(new { title = "New title", byline = "Ada" })), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That((string?)updated["title"], Is.EqualTo("New title"));
            Assert.That(updated["standfirst"], Is.Null);
            Assert.That((string?)updated["slug"], Is.EqualTo("old-title"));
            Assert.That((string?)updated["status"], Is.EqualTo("published"));
            Assert.That((int?)updated["version"], Is.EqualTo(2));
            Assert.That((string?)updated["updatedAt"], Is.EqualTo("2026-11-25T09:05:00.000Z"));
            Assert.That((string?)updated["createdAt"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
        });
    }

    [Test]
    public async Task Put_with_the_stored_values_changes_nothing()
    {
        var article = await CreateArticle(new { title = "Same", byline = "Ada" });
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await Expect(await Editor.PutAsync($"/api/v1/articles/{article["id"]}", Json(new { title = "Same", byline = "Ada" })), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That((int?)again["version"], Is.EqualTo(1));
            Assert.That((string?)again["updatedAt"], Is.EqualTo((string?)article["updatedAt"]));
        });
    }

    [Test]
    public async Task Put_errors_unknown_slug_missing_article_and_taken_slug()
    {
        await CreateArticle(new { title = "Taken", slug = "taken" });
        var other = await CreateArticle(new { title = "Other" });

        var unknown = await ExpectProblem(await Editor.PutAsync("/api/v1/articles/no-such-slug", Json(new { title = "x" })), HttpStatusCode.NotFound);
        await ExpectProblem(await Editor.PutAsync("/api/v1/articles/4040", Json(new { title = "x" })), HttpStatusCode.NotFound);
        await ExpectProblem(await Editor.PutAsync($"/api/v1/articles/{other["id"]}", Json(new { title = "x", slug = "taken" })), HttpStatusCode.Conflict);

        Assert.That((string?)unknown["detail"], Does.Contain("'no-such-slug'"));
        Assert.That((string?)(await Body(await Editor.GetAsync($"/api/v1/articles/{other["id"]}")))["title"], Is.EqualTo("Other"));
    }

    [Test]
    public async Task Writes_name_an_article_by_id_or_by_slug()
    {
        var article = await CreateArticle(new { title = "By slug", slug = "by-slug" });

        var patched = await Expect(await Patch(Editor, "/api/v1/articles/by-slug", """{"byline":"Ada"}"""), HttpStatusCode.OK);
        var published = await Expect(await Editor.PostAsync("/api/v1/articles/by-slug/publish", null), HttpStatusCode.OK);
        await Expect(await Editor.DeleteAsync("/api/v1/articles/by-slug"), HttpStatusCode.NoContent);

        Assert.Multiple(async () =>
        {
            Assert.That((long?)patched["id"], Is.EqualTo((long?)article["id"]));
            Assert.That((string?)patched["byline"], Is.EqualTo("Ada"));
            Assert.That((string?)published["status"], Is.EqualTo("published"));
            Assert.That((await Editor.GetAsync($"/api/v1/articles/{article["id"]}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Patch_publishes_and_sets_publishedAt_once()
    {
        var article = await CreateArticle(new { title = "Going live", byline = "Ada" });
        Factory.Clock.Advance(TimeSpan.FromHours(1));

        var published = await Expect(await Patch(Editor, $"/api/v1/articles/{article["id"]}", """{"status":"published"}"""), HttpStatusCode.OK);
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        await Expect(await Patch(Editor, $"/api/v1/articles/{article["id"]}", """{"status":"draft"}"""), HttpStatusCode.OK);
        var republished = await Expect(await Patch(Editor, $"/api/v1/articles/{article["id"]}", """{"status":"published"}""", "application/json"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That((string?)published["publishedAt"], Is.EqualTo("2026-11-25T10:00:00.000Z"));
            Assert.That((string?)published["byline"], Is.EqualTo("Ada"));
            Assert.That((int?)published["version"], Is.EqualTo(2));
            Assert.That((string?)republished["publishedAt"], Is.EqualTo("2026-11-25T10:00:00.000Z"));
            Assert.That((int?)republished["version"], Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Patch_null_clears_an_optional_field_and_is_validated_like_put()
    {
        var article = await CreateArticle(new { title = "Title", byline = "Ada" });
        var url = $"/api/v1/articles/{article["id"]}";

        var cleared = await Expect(await Patch(Editor, url, """{"byline":null}"""), HttpStatusCode.OK);
        var titleMessages = await ExpectFieldError(await Patch(Editor, url, """{"title":null}"""), "title");
        await ExpectFieldError(await Patch(Editor, url, """{"status":"gone"}"""), "status");
        await ExpectFieldError(await Patch(Editor, url, """{"titel":"typo"}"""), "titel");
        await ExpectProblem(await Patch(Editor, url, """["not","an","object"]"""), HttpStatusCode.BadRequest);
        await ExpectProblem(await Patch(Editor, url, """{"title":"""), HttpStatusCode.BadRequest);
        await ExpectProblem(await Patch(Editor, url, "title=x", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await ExpectProblem(await Patch(Editor, "/api/v1/articles/9999", """{"title":"x"}"""), HttpStatusCode.NotFound);
        await ExpectProblem(await Patch(Public, url, """{"title":"x"}"""), HttpStatusCode.Unauthorized);

        Assert.Multiple(async () =>
        {
            Assert.That(cleared["byline"], Is.Null);
            Assert.That(titleMessages, Does.Contain("Please enter a title."));
            var stored = await Body(await Editor.GetAsync(url));
            Assert.That((string?)stored["title"], Is.EqualTo("Title"));
            Assert.That((int?)stored["version"], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Delete_removes_the_article_with_its_sections_pull_quotes_and_comments()
    {
        var article = await CreatePublishedArticle();
        var id = (long)article["id"]!;
        var section = await CreateSection(id, new { body = "Text." });
        var quote = await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/pull-quotes", Json(new { text = "Quote" })), HttpStatusCode.Created);
        var comment = await Expect(await Public.PostAsync($"/api/v1/articles/{id}/comments", Json(new { name = "Reader", body = "Hello" })), HttpStatusCode.Created);

        await Expect(await Editor.DeleteAsync($"/api/v1/articles/{id}"), HttpStatusCode.NoContent);

        await ExpectProblem(await Editor.GetAsync($"/api/v1/articles/{id}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Editor.GetAsync($"/api/v1/sections/{section["id"]}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Editor.GetAsync($"/api/v1/pull-quotes/{quote["id"]}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Editor.GetAsync($"/api/v1/comments/{comment["id"]}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Editor.DeleteAsync($"/api/v1/articles/{id}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.DeleteAsync("/api/v1/articles/1"), HttpStatusCode.Unauthorized);
    }
}
