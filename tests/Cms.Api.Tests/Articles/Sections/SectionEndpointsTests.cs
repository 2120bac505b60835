namespace Cms.Api.Tests.Articles.Sections;

public sealed class SectionEndpointsTests : ApiTest
{
    private long articleId;

    [SetUp]
    public async Task CreateArticleToWorkOn() => articleId = (long)(await CreatePublishedArticle())["id"]!;

    private async Task<string[]> Headings(HttpClient? client = null)
    {
        var list = await Expect(await (client ?? Editor).GetAsync($"/api/v1/articles/{articleId}/sections"), HttpStatusCode.OK);
        var items = list["items"]!.AsArray();
        Assert.That(items.Select(s => (int)s!["position"]!), Is.EqualTo(Enumerable.Range(1, items.Count)), "positions run 1..n without gaps");
        return items.Select(s => (string?)s!["heading"] ?? "(none)").ToArray();
    }

    private async Task<long[]> AddSections(params string[] headings)
    {
        var ids = new List<long>();
        foreach (var heading in headings)
        {
            ids.Add((long)(await CreateSection(articleId, new { heading, body = $"Body of {heading}." }))["id"]!);
        }

        return ids.ToArray();
    }

    [Test]
    public async Task Sections_append_in_order_and_the_first_may_have_no_heading()
    {
        var first = await CreateSection(articleId, new { body = "Opening paragraph.\n\nSecond paragraph." });
        await AddSections("B", "C");

        Assert.Multiple(async () =>
        {
            Assert.That((int?)first["position"], Is.EqualTo(1));
            Assert.That(first["heading"], Is.Null);
            Assert.That((long?)first["articleId"], Is.EqualTo(articleId));
            Assert.That(await Headings(Public), Is.EqualTo(new[] { "(none)", "B", "C" }));
        });
    }

    [Test]
    public async Task Inserting_at_a_position_shifts_the_rest()
    {
        await AddSections("A", "B", "C");

        var inserted = await CreateSection(articleId, new { heading = "New", body = "x", position = 2 });

        Assert.That((int?)inserted["position"], Is.EqualTo(2));
        Assert.That(await Headings(), Is.EqualTo(new[] { "A", "New", "B", "C" }));
    }

    [Test]
    public async Task Create_rejects_a_position_past_the_end_and_invalid_fields()
    {
        await AddSections("A");
        var url = $"/api/v1/articles/{articleId}/sections";

        var position = await ExpectFieldError(await Editor.PostAsync(url, Json(new { body = "x", position = 3 })), "position");
        await ExpectFieldError(await Editor.PostAsync(url, Json(new { body = "x", position = 0 })), "position");
        await ExpectFieldError(await Editor.PostAsync(url, Json(new { heading = "No body" })), "body");
        await ExpectFieldError(await Editor.PostAsync(url, Json(new { body = "  " })), "body");
        await ExpectFieldError(await Editor.PostAsync(url, Json(new { body = "x", heading = new string('h', 201) })), "heading");
        await ExpectFieldError(await Editor.PostAsync(url, Json(new { body = new string('b', 200_001) })), "body");
        await ExpectFieldError(await Editor.PostAsync(url, Json("""{"body":"x","position":"2"}""")), "position");
        await ExpectProblem(await Public.PostAsync(url, Json(new { body = "x" })), HttpStatusCode.Unauthorized);
        await ExpectProblem(await Editor.PostAsync("/api/v1/articles/no-such-article/sections", Json(new { body = "x" })), HttpStatusCode.NotFound);

        Assert.That(position, Has.Some.Contains("between 1 and 2"));
        Assert.That(await Headings(), Is.EqualTo(new[] { "A" }));
        await CreateSection(articleId, new { body = new string('b', 200_000) });
    }

    [Test]
    public async Task Moving_a_section_with_put_or_patch_shifts_the_ones_between()
    {
        var ids = await AddSections("A", "B", "C", "D");

        var moved = await Expect(await Editor.PutAsync($"/api/v1/sections/{ids[3]}", Json(new { heading = "D", body = "Body of D.", position = 1 })), HttpStatusCode.OK);
        Assert.That(await Headings(), Is.EqualTo(new[] { "D", "A", "B", "C" }));

        await Expect(await Patch(Editor, $"/api/v1/sections/{ids[0]}", """{"position":4}"""), HttpStatusCode.OK);
        Assert.That(await Headings(), Is.EqualTo(new[] { "D", "B", "C", "A" }));

        await ExpectFieldError(await Patch(Editor, $"/api/v1/sections/{ids[0]}", """{"position":5}"""), "position");
        Assert.That((int?)moved["version"], Is.EqualTo(2));
        Assert.That(await Headings(), Is.EqualTo(new[] { "D", "B", "C", "A" }));
    }

    [Test]
    public async Task Patch_changes_only_the_given_fields_and_put_clears_an_omitted_heading()
    {
        var ids = await AddSections("A");

        var patched = await Expect(await Patch(Editor, $"/api/v1/sections/{ids[0]}", """{"body":"New body."}"""), HttpStatusCode.OK);
        var replaced = await Expect(await Editor.PutAsync($"/api/v1/sections/{ids[0]}", Json(new { body = "Replaced." })), HttpStatusCode.OK);
        await ExpectFieldError(await Patch(Editor, $"/api/v1/sections/{ids[0]}", """{"body":null}"""), "body");

        Assert.Multiple(() =>
        {
            Assert.That((string?)patched["heading"], Is.EqualTo("A"));
            Assert.That((string?)patched["body"], Is.EqualTo("New body."));
            Assert.That(replaced["heading"], Is.Null);
            Assert.That((int?)replaced["position"], Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Deleting_a_section_closes_the_gap_and_unplaces_its_pull_quotes()
    {
        var ids = await AddSections("A", "B", "C");
        var quote = await Expect(await Editor.PostAsync($"/api/v1/articles/{articleId}/pull-quotes",
            Json(new { text = "Quote", sectionId = ids[1], afterParagraph = 1 })), HttpStatusCode.Created);

        await Expect(await Editor.DeleteAsync($"/api/v1/sections/{ids[1]}"), HttpStatusCode.NoContent);

        var after = await Body(await Editor.GetAsync($"/api/v1/pull-quotes/{quote["id"]}"));
        Assert.Multiple(async () =>
        {
            Assert.That(await Headings(), Is.EqualTo(new[] { "A", "C" }));
            Assert.That(after["sectionId"], Is.Null);
            Assert.That(after["afterParagraph"], Is.Null);
            await ExpectProblem(await Editor.DeleteAsync($"/api/v1/sections/{ids[1]}"), HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task Reorder_puts_sections_in_the_given_order()
    {
        var ids = await AddSections("A", "B", "C");

        var result = await Expect(await Editor.PutAsync($"/api/v1/articles/{articleId}/sections/order",
            Json(new { sectionIds = new[] { ids[2], ids[0], ids[1] } })), HttpStatusCode.OK);

        Assert.That(result["items"]!.AsArray().Select(s => (string?)s!["heading"]), Is.EqualTo(new[] { "C", "A", "B" }));
        Assert.That(await Headings(), Is.EqualTo(new[] { "C", "A", "B" }));
    }

    [Test]
    public async Task Reorder_refuses_anything_but_exactly_the_articles_sections_and_changes_nothing()
    {
        var ids = await AddSections("A", "B", "C");
        var otherArticle = (long)(await CreateArticle(new { title = "Other" }))["id"]!;
        var foreign = (long)(await CreateSection(otherArticle, new { body = "x" }))["id"]!;
        var url = $"/api/v1/articles/{articleId}/sections/order";

        var missing = await ExpectFieldError(await Editor.PutAsync(url, Json(new { sectionIds = new[] { ids[2], ids[0] } })), "sectionIds");
        var extra = await ExpectFieldError(await Editor.PutAsync(url, Json(new { sectionIds = new[] { ids[2], ids[0], ids[1], foreign } })), "sectionIds");
        await ExpectFieldError(await Editor.PutAsync(url, Json(new { sectionIds = new[] { ids[2], ids[2], ids[1] } })), "sectionIds");
        await ExpectFieldError(await Editor.PutAsync(url, Json(new { })), "sectionIds");
        await ExpectFieldError(await Editor.PutAsync(url, Json("""{"sectionIds":"1,2,3"}""")), "sectionIds");

        Assert.Multiple(async () =>
        {
            Assert.That(missing, Has.Some.Contains($"missing section id(s) {ids[1]}"));
            Assert.That(extra, Has.Some.Contains($"{foreign} are not sections of this article"));
            Assert.That(await Headings(), Is.EqualTo(new[] { "A", "B", "C" }));
        });
    }

    [Test]
    public async Task Sections_of_a_draft_are_hidden_from_the_public()
    {
        var draft = (long)(await CreateArticle(new { title = "Draft" }))["id"]!;
        var section = await CreateSection(draft, new { body = "Secret." });

        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{draft}/sections"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.GetAsync($"/api/v1/sections/{section["id"]}"), HttpStatusCode.NotFound);
        await Expect(await Editor.GetAsync($"/api/v1/sections/{section["id"]}"), HttpStatusCode.OK);
        await ExpectFieldError(await Public.GetAsync("/api/v1/sections/abc"), "id");
    }

    [Test]
    public async Task Concurrent_inserts_all_succeed_and_keep_positions_without_gaps()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            Editor.PostAsync($"/api/v1/articles/{articleId}/sections", Json(new { heading = $"S{i}", body = "x", position = 1 }))));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(await Headings(), Has.Length.EqualTo(20).And.Unique);
    }

    [Test]
    public async Task Section_bodies_keep_line_breaks_and_unicode_exactly()
    {
        const string body = "First paragraph — with “quotes”.\r\n\r\nSecond 🌊 paragraph,\nwith a line break.\n\n";
        var created = await CreateSection(articleId, new { body });

        var read = await Body(await Public.GetAsync($"/api/v1/sections/{created["id"]}"));

        Assert.That((string?)read["body"], Is.EqualTo(body));
    }
}
