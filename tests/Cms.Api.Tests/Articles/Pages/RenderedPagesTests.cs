using Cms.Api.Articles;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Articles.Pages;

/// <summary>
/// Render on write: the public page of a published article is served from what was rendered when it last changed. It
/// is the same bytes, ETag and headers as the page built from the tables, every kind of write shows at once (with the
/// response cache on and off), and nothing the public must not see (drafts, pending comments, e-mails) is ever in it.
/// </summary>
[TestFixture(true)]
[TestFixture(false)]
public sealed class RenderedPagesTests(bool cached) : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Caching:InProcess"] = cached ? "true" : "false",
        ["Cms:Comments:RateLimitPerMinute"] = "0",
    };

    private static readonly string[] IncludeForms =
        ["", "?include=sections", "?include=pullQuotes", "?include=comments", "?include=sections,pullQuotes",
         "?include=sections,comments", "?include=pullQuotes,comments", "?include=sections,pullQuotes,comments"];

    private const string All = "?include=sections,pullQuotes,comments";

    private bool IsRendered(long id) => Factory.Scalar("SELECT count(*) FROM article_pages WHERE article_id = @Id", new { Id = id }) == 1;

    private long Due => Factory.Scalar("SELECT count(*) FROM article_pages_due");

    private async Task<long> Comment(long article, string name, long? parentId = null)
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(20)); // clear of flood control
        var body = Json(new { name, email = $"{name.ToLowerInvariant()}@example.org", parentId, body = $"Words of {name}" });
        return (long)(await Expect(await Public.PostAsync($"/api/v1/articles/{article}/comments", body), HttpStatusCode.Created))["id"]!;
    }

    private async Task Approve(params long[] ids) =>
        await Expect(await Editor.PostAsync("/api/v1/comments/moderate", Json(new { ids, action = "approve" })), HttpStatusCode.OK);

    /// <summary>The public page with everything, which must be served rendered (nothing left due) and show/hide what is said.</summary>
    private async Task<string> Page(long id, string[] shows, string[]? hides = null)
    {
        var response = await Public.GetAsync($"/api/v1/articles/{id}{All}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(IsRendered(id), Is.True, "rendered by the write that changed it");
            Assert.That(Due, Is.Zero);
            foreach (var text in shows)
            {
                Assert.That(body, Does.Contain(text));
            }

            foreach (var text in hides ?? [])
            {
                Assert.That(body, Does.Not.Contain(text));
            }
        });
        return body;
    }

    private async Task<long> RichArticle()
    {
        var id = (long)(await CreatePublishedArticle("Harbour reopens"))["id"]!;
        var first = (long)(await CreateSection(id, new { body = "Boats return.\n\nCrowds gather." }))["id"]!;
        await CreateSection(id, new { heading = "Further out", body = "The bay is calm." });
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/pull-quotes", Json(new { text = "“A fine day.”", attribution = "A skipper", sectionId = first, afterParagraph = 1 })), HttpStatusCode.Created);
        for (var i = 0; i < ArticleEndpoints.IncludedComments + 2; i++)
        {
            await Approve(await Comment(id, $"Reader{i}"));
        }

        return id;
    }

    [Test]
    public async Task Every_include_form_is_byte_for_byte_the_page_built_from_the_tables()
    {
        var id = await RichArticle();
        var slug = (string)(await Body(await Public.GetAsync($"/api/v1/articles/{id}")))["slug"]!;
        var urls = IncludeForms.SelectMany(form => new[] { $"/api/v1/articles/{id}{form}", $"/api/v1/articles/{slug}{form}" }).ToList();

        Assert.That(IsRendered(id), Is.True);
        var rendered = await Task.WhenAll(urls.Select(Snapshot));
        Factory.Execute("DELETE FROM article_pages");

        // A fresh application: no response cached, and the page is now built from the tables.
        using var fresh = Factory.OnSameDatabase(Settings);
        using var client = fresh.Anonymous();
        var built = await Task.WhenAll(urls.Select(async url => await Snapshot(client, url)));

        Assert.That(IsRendered(id), Is.False, "reads never render");
        for (var i = 0; i < urls.Count; i++)
        {
            Assert.That(built[i], Is.EqualTo(rendered[i]), urls[i]);
        }

        Assert.That(rendered[^1][0], Does.Contain("commentsNextCursor").And.Contain("A fine day").And.Contain("Further out"));
    }

    [Test]
    [Category(Engines.SqliteOnly)] // PostgreSQL compresses large values itself
    public async Task A_large_part_is_stored_compressed_and_served_whole()
    {
        var id = (long)(await CreatePublishedArticle("Harbour reopens"))["id"]!;
        var body = string.Join("\n\n", Enumerable.Range(1, 40).Select(i => $"Paragraph {i}: the harbour reopened to boats and crowds."));
        await CreateSection(id, new { heading = "Long", body });

        var page = await Page(id, ["Paragraph 1:", "Paragraph 40: the harbour reopened to boats and crowds."]);

        Assert.Multiple(() =>
        {
            Assert.That(Factory.Scalar("SELECT length(sections) FROM article_pages WHERE article_id = @Id", new { Id = id }), Is.LessThan(body.Length / 4));
            Assert.That(Factory.Scalar("SELECT length(article) FROM article_pages WHERE article_id = @Id", new { Id = id }), Is.GreaterThan(100), "a small part stays as it is");
            Assert.That(JsonNode.Parse(page)!["sections"]![0]!["body"]!.GetValue<string>(), Is.EqualTo(body));
        });
    }

    private Task<string[]> Snapshot(string url) => Snapshot(Public, url);

    private static async Task<string[]> Snapshot(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        return
        [
            await response.Content.ReadAsStringAsync(), response.Headers.ETag!.Tag, response.Content.Headers.LastModified!.Value.ToString("R"),
            string.Join(' ', response.Headers.GetValues("Surrogate-Key")), response.Content.Headers.ContentType!.ToString(),
        ];
    }

    [Test]
    public async Task Every_kind_of_write_shows_on_the_page_at_once()
    {
        var id = (long)(await CreatePublishedArticle("Harbour reopens"))["id"]!;
        await Page(id, ["Harbour reopens"]);

        await Expect(await Patch(Editor, $"/api/v1/articles/{id}", """{"title":"Harbour reopens at dawn"}"""), HttpStatusCode.OK);
        await Page(id, ["Harbour reopens at dawn"]);

        var first = (long)(await CreateSection(id, new { heading = "First", body = "Boats return." }))["id"]!;
        var second = (long)(await CreateSection(id, new { heading = "Second", body = "Crowds gather." }))["id"]!;
        await Page(id, ["Boats return.", "Crowds gather."]);

        await Expect(await Patch(Editor, $"/api/v1/sections/{first}", """{"body":"Ferries return."}"""), HttpStatusCode.OK);
        await Page(id, ["Ferries return."], ["Boats return."]);

        await Expect(await Editor.PutAsync($"/api/v1/articles/{id}/sections/order", Json(new { sectionIds = new[] { second, first } })), HttpStatusCode.OK);
        var reordered = await Page(id, []);
        Assert.That(reordered.IndexOf("Second", StringComparison.Ordinal), Is.LessThan(reordered.IndexOf("First", StringComparison.Ordinal)));

        var quote = (long)(await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/pull-quotes", Json(new { text = "Calm seas." })), HttpStatusCode.Created))["id"]!;
        await Page(id, ["Calm seas."]);
        await Expect(await Patch(Editor, $"/api/v1/pull-quotes/{quote}", """{"text":"Rough seas."}"""), HttpStatusCode.OK);
        await Page(id, ["Rough seas."], ["Calm seas."]);
        await Expect(await Editor.DeleteAsync($"/api/v1/pull-quotes/{quote}"), HttpStatusCode.NoContent);
        await Expect(await Editor.DeleteAsync($"/api/v1/sections/{second}"), HttpStatusCode.NoContent);
        await Page(id, ["Ferries return."], ["Rough seas.", "Crowds gather."]);

        var comment = await Comment(id, "Ann");
        await Page(id, [], ["Words of Ann"]);
        await Approve(comment);
        var reply = await Comment(id, "Bob", parentId: comment);
        await Approve(reply);
        await Page(id, ["Words of Ann", "Words of Bob"], ["@example.org", "email"]);
        await Expect(await Patch(Editor, $"/api/v1/comments/{reply}", """{"status":"rejected"}"""), HttpStatusCode.OK);
        await Page(id, ["Words of Ann"], ["Words of Bob"]);
        await Expect(await Editor.DeleteAsync($"/api/v1/comments/{comment}"), HttpStatusCode.NoContent);
        await Page(id, [], ["Words of Ann"]);

        await Expect(await Editor.PostAsync("/api/v1/import", Json(new { articles = new[] { new { slug = "imported", title = "Imported story", status = "published", sections = new[] { new { body = "From the wire." } } } } })), HttpStatusCode.OK);
        var imported = (long)(await Body(await Public.GetAsync("/api/v1/articles/imported")))["id"]!;
        await Page(imported, ["From the wire."]);

        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/unpublish", null), HttpStatusCode.OK);
        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{id}{All}"), HttpStatusCode.NotFound);
        Assert.That(IsRendered(id), Is.False, "a draft has no public page");
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/publish", null), HttpStatusCode.OK);
        await Page(id, ["Ferries return."]);
        await Expect(await Editor.DeleteAsync($"/api/v1/articles/{id}"), HttpStatusCode.NoContent);
        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{id}{All}"), HttpStatusCode.NotFound);
        Assert.That(IsRendered(id), Is.False);
    }

    [Test]
    public async Task A_draft_is_never_rendered_and_a_scheduled_article_is_rendered_when_it_goes_live()
    {
        var publisher = Factory.Services.GetRequiredService<ScheduledPublisher>();
        await publisher.FirstRun;
        var draft = (long)(await CreateArticle(new { title = "Secret plans" }))["id"]!;
        await CreateSection(draft, new { body = "Not yet." });
        var scheduled = (long)(await CreateArticle(new { title = "Embargoed", status = "scheduled", publishAt = "2026-11-25T10:00:00Z" }))["id"]!;
        await CreateSection(scheduled, new { body = "At ten." });

        Assert.Multiple(() =>
        {
            Assert.That(IsRendered(draft), Is.False);
            Assert.That(IsRendered(scheduled), Is.False);
            Assert.That(Due, Is.Zero);
        });
        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{draft}{All}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{scheduled}{All}"), HttpStatusCode.NotFound);

        var pass = publisher.NextRunAsync();
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 5 && (await Public.GetAsync($"/api/v1/articles/{scheduled}")).StatusCode != HttpStatusCode.OK; i++)
        {
            await pass.WaitAsync(TimeSpan.FromSeconds(10));
            pass = publisher.NextRunAsync();
        }

        await Page(scheduled, ["At ten.", "\"status\":\"published\""]);
    }

    [Test]
    public async Task Pages_due_when_the_service_starts_are_rendered_in_the_background_and_served_from_the_tables_meanwhile()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await RichArticle());
        }

        var expected = await Task.WhenAll(ids.Select(id => Snapshot($"/api/v1/articles/{id}{All}")));
        Factory.Execute("DELETE FROM article_pages; INSERT INTO article_pages_due (article_id) SELECT id FROM articles");

        var backlog = (long)(await Body(await Public.GetAsync("/readyz")))["entries"]!["pages"]!["data"]!["pagesToRender"]!;
        using var restarted = Factory.OnSameDatabase(Settings);
        using var client = restarted.Anonymous();
        var served = await Task.WhenAll(ids.Select(id => Snapshot(client, $"/api/v1/articles/{id}{All}")));
        await Expect(await restarted.Editor().PostAsync("/api/v1/articles", Json(new { title = "Any write renders what is due" })), HttpStatusCode.Created);

        Assert.Multiple(() =>
        {
            Assert.That(backlog, Is.EqualTo(3), "health reports the backlog");
            Assert.That(served, Is.EqualTo(expected));
            Assert.That(ids.Select(IsRendered), Is.All.True);
            Assert.That(Due, Is.Zero);
        });
        Assert.That((long)(await Body(await client.GetAsync("/readyz")))["entries"]!["pages"]!["data"]!["pagesToRender"]!, Is.Zero);
    }
}
