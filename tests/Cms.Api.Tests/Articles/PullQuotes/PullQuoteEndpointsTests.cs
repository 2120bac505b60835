namespace Cms.Api.Tests.Articles.PullQuotes;

public sealed class PullQuoteEndpointsTests : ApiTest
{
    private long articleId;
    private long sectionId;

    [SetUp]
    public async Task CreateArticleWithASection()
    {
        articleId = (long)(await CreatePublishedArticle())["id"]!;
        sectionId = (long)(await CreateSection(articleId, new { body = "One.\n\nTwo.\n\nThree." }))["id"]!;
    }

    private string Url => $"/api/v1/articles/{articleId}/pull-quotes";

    [Test]
    public async Task A_pull_quote_is_placed_after_a_paragraph_of_a_section()
    {
        var response = await Editor.PostAsync(Url, Json(new { text = "“It was close.”", attribution = "A witness", sectionId, afterParagraph = 3 }));

        var quote = await Expect(response, HttpStatusCode.Created);
        var list = await Expect(await Public.GetAsync(Url), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/pull-quotes/{quote["id"]}"));
            Assert.That((long?)quote["sectionId"], Is.EqualTo(sectionId));
            Assert.That((int?)quote["afterParagraph"], Is.EqualTo(3));
            Assert.That((string?)quote["text"], Is.EqualTo("“It was close.”"));
            Assert.That(list["items"]!.AsArray().Select(q => (long?)q!["id"]), Is.EqualTo(new[] { (long?)quote["id"] }));
        });
    }

    [Test]
    public async Task Placement_must_be_in_a_section_of_the_same_article_and_within_its_paragraphs()
    {
        var other = (long)(await CreateArticle(new { title = "Other" }))["id"]!;
        var foreignSection = (long)(await CreateSection(other, new { body = "x" }))["id"]!;

        var foreign = await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = "Q", sectionId = foreignSection })), "sectionId");
        var beyond = await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = "Q", sectionId, afterParagraph = 4 })), "afterParagraph");
        var unplaced = await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = "Q", afterParagraph = 1 })), "afterParagraph");
        await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = "Q", sectionId, afterParagraph = -1 })), "afterParagraph");
        await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = "" })), "text");
        await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = new string('q', 501) })), "text");
        await ExpectFieldError(await Editor.PostAsync(Url, Json(new { text = "Q", attribution = new string('a', 201) })), "attribution");

        Assert.Multiple(async () =>
        {
            Assert.That(foreign, Has.Some.Contains("not a section of this article"));
            Assert.That(beyond, Has.Some.Contains("has 3 paragraph(s)"));
            Assert.That(unplaced, Has.Some.Contains("sectionId"));
            Assert.That((await Body(await Public.GetAsync(Url)))["items"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Put_patch_and_delete_a_pull_quote()
    {
        var quote = await Expect(await Editor.PostAsync(Url, Json(new { text = "Q", attribution = "Someone", sectionId, afterParagraph = 1 })), HttpStatusCode.Created);
        var url = $"/api/v1/pull-quotes/{quote["id"]}";

        var patched = await Expect(await Patch(Editor, url, """{"afterParagraph":2}"""), HttpStatusCode.OK);
        await ExpectFieldError(await Patch(Editor, url, """{"afterParagraph":9}"""), "afterParagraph");
        var replaced = await Expect(await Editor.PutAsync(url, Json(new { text = "Replaced" })), HttpStatusCode.OK);
        await ExpectProblem(await Public.PutAsync(url, Json(new { text = "x" })), HttpStatusCode.Unauthorized);
        await Expect(await Editor.DeleteAsync(url), HttpStatusCode.NoContent);

        Assert.Multiple(async () =>
        {
            Assert.That((int?)patched["afterParagraph"], Is.EqualTo(2));
            Assert.That((string?)patched["attribution"], Is.EqualTo("Someone"));
            Assert.That((int?)patched["version"], Is.EqualTo(2));
            Assert.That((string?)replaced["text"], Is.EqualTo("Replaced"));
            Assert.That(replaced["sectionId"], Is.Null);
            Assert.That(replaced["attribution"], Is.Null);
            await ExpectProblem(await Editor.GetAsync(url), HttpStatusCode.NotFound);
            await ExpectProblem(await Editor.PutAsync(url, Json(new { text = "x" })), HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task Pull_quotes_of_a_draft_are_hidden_from_the_public()
    {
        var draft = (long)(await CreateArticle(new { title = "Draft" }))["id"]!;
        var quote = await Expect(await Editor.PostAsync($"/api/v1/articles/{draft}/pull-quotes", Json(new { text = "Q" })), HttpStatusCode.Created);

        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{draft}/pull-quotes"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.GetAsync($"/api/v1/pull-quotes/{quote["id"]}"), HttpStatusCode.NotFound);
        await Expect(await Editor.GetAsync($"/api/v1/pull-quotes/{quote["id"]}"), HttpStatusCode.OK);
    }
}
