using System.Text;

namespace Cms.Api.Tests.Articles;

public sealed class ArticleEndpointsTests : ApiTest
{
    [Test]
    public async Task Create_returns_the_article_with_derived_slug_defaults_and_location()
    {
        var response = await Editor.PostAsync("/api/v1/articles", Json(new
        {
            title = "Café owners’ 2026 survey: rents up again!",
            standfirst = "Nine in ten say so.",
            byline = "Ada Penrose",
        }));

        var article = await Expect(response, HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/articles/{article["id"]}"));
            Assert.That((string?)article["slug"], Is.EqualTo("cafe-owners-2026-survey-rents-up-again"));
            Assert.That((string?)article["status"], Is.EqualTo("draft"));
            Assert.That((int?)article["version"], Is.EqualTo(1));
            Assert.That(article["publishedAt"]?.GetValueKind(), Is.Null.Or.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That((string?)article["createdAt"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
            Assert.That((string?)article["updatedAt"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
            Assert.That((string?)article["standfirst"], Is.EqualTo("Nine in ten say so."));
        });
    }

    [Test]
    public async Task Create_without_a_key_is_401_with_a_bearer_challenge()
    {
        var response = await Public.PostAsync("/api/v1/articles", Json(new { title = "Nope" }));

        await ExpectProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        Assert.That(await Read<ListPage>(await Editor.GetAsync("/api/v1/articles")), Has.Property("Items").Empty);
    }

    [Test]
    public async Task A_wrong_key_is_401_even_on_public_routes()
    {
        Public.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key");

        var response = await Public.GetAsync("/api/v1/articles");

        await ExpectProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
    }

    [TestCase("Basic dXNlcjpwYXNz")]
    [TestCase("Bearer")]
    public async Task A_malformed_authorization_header_is_401(string header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/articles") { Content = Json(new { title = "x" }) };
        request.Headers.TryAddWithoutValidation("Authorization", header);

        await ExpectProblem(await Public.SendAsync(request), HttpStatusCode.Unauthorized);
    }

    [TestCase("""{"title":""}""", "title", "Please enter a title.")]
    [TestCase("""{"title":"   "}""", "title", "Please enter a title.")]
    [TestCase("""{}""", "title", "Please enter a title.")]
    [TestCase("""{"title":"ok","slug":"Not A Slug"}""", "slug", "lowercase")]
    [TestCase("""{"title":"ok","slug":"12345"}""", "slug", "all digits")]
    [TestCase("""{"title":"ok","slug":"-edge-"}""", "slug", "hyphens")]
    [TestCase("""{"title":"ok","status":"live"}""", "status", "draft, scheduled, published, archived")]
    [TestCase("""{"title":"ok","status":1}""", "status", "draft, scheduled, published, archived")]
    [TestCase("""{"title":5}""", "title", "a string")]
    [TestCase("""{"title":"ok","tittle":"typo"}""", "tittle", "Unknown field")]
    public async Task Create_rejects_invalid_fields_with_a_message_per_field(string json, string field, string message)
    {
        var messages = await ExpectFieldError(await Editor.PostAsync("/api/v1/articles", Json(json)), field);

        Assert.That(messages, Has.Some.Contains(message));
        Assert.That(await Read<ListPage>(await Editor.GetAsync("/api/v1/articles")), Has.Property("Items").Empty);
    }

    [Test]
    public async Task Create_enforces_the_length_limits()
    {
        var tooLong = await Editor.PostAsync("/api/v1/articles", Json(new { title = new string('t', 301), standfirst = new string('s', 1001), byline = new string('b', 201) }));
        var problem = await ExpectProblem(tooLong, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "title", "standfirst", "byline" }));

        await Expect(await Editor.PostAsync("/api/v1/articles", Json(new { title = new string('t', 300), standfirst = new string('s', 1000), byline = new string('b', 200) })), HttpStatusCode.Created);
    }

    [Test]
    public async Task Malformed_json_is_a_400_that_says_so()
    {
        var problem = await ExpectProblem(await Editor.PostAsync("/api/v1/articles", Json("""{"title": "unfinished""")), HttpStatusCode.BadRequest);

        Assert.That((string?)problem["detail"], Does.Contain("not valid JSON"));
    }

    [Test]
    public async Task An_empty_body_is_a_400()
    {
        var problem = await ExpectProblem(await Editor.PostAsync("/api/v1/articles", Json("")), HttpStatusCode.BadRequest);

        Assert.That((string?)problem["detail"], Is.Not.Empty);
    }

    [Test]
    public async Task A_body_that_is_not_json_is_415()
    {
        var problem = await ExpectProblem(await Editor.PostAsync("/api/v1/articles", Json("title=x", "text/plain")), HttpStatusCode.UnsupportedMediaType);

        Assert.That((string?)problem["detail"], Does.Contain("application/json"));
    }

    [Test]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        var huge = JsonSerializer.Serialize(new { title = "big", standfirst = new string('x', 1024 * 1024) });

        await ExpectProblem(await Editor.PostAsync("/api/v1/articles", Json(huge)), HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task An_explicit_slug_in_use_is_409_and_a_derived_one_is_numbered()
    {
        await CreateArticle(new { title = "Budget day", slug = "budget-day" });

        var conflict = await ExpectProblem(await Editor.PostAsync("/api/v1/articles", Json(new { title = "Other", slug = "budget-day" })), HttpStatusCode.Conflict);
        var derived = await CreateArticle(new { title = "Budget day" });
        var derivedAgain = await CreateArticle(new { title = "Budget Day!" });

        Assert.Multiple(() =>
        {
            Assert.That((string?)conflict["detail"], Does.Contain("budget-day"));
            Assert.That((string?)derived["slug"], Is.EqualTo("budget-day-2"));
            Assert.That((string?)derivedAgain["slug"], Is.EqualTo("budget-day-3"));
        });
    }

    [Test]
    public async Task Get_finds_by_id_or_slug_and_hides_drafts_and_archived_from_the_public()
    {
        var draft = await CreateArticle(new { title = "Draft piece" });
        var published = await CreatePublishedArticle("Live piece");
        var archived = await CreateArticle(new { title = "Old piece", status = "archived" });

        Assert.Multiple(async () =>
        {
            Assert.That((long?)(await Expect(await Public.GetAsync($"/api/v1/articles/{published["id"]}"), HttpStatusCode.OK))["id"], Is.EqualTo((long?)published["id"]));
            Assert.That((long?)(await Expect(await Public.GetAsync("/api/v1/articles/live-piece"), HttpStatusCode.OK))["id"], Is.EqualTo((long?)published["id"]));
            await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{draft["id"]}"), HttpStatusCode.NotFound);
            await ExpectProblem(await Public.GetAsync("/api/v1/articles/draft-piece"), HttpStatusCode.NotFound);
            await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{archived["id"]}"), HttpStatusCode.NotFound);
            await Expect(await Editor.GetAsync("/api/v1/articles/draft-piece"), HttpStatusCode.OK);
            await Expect(await Editor.GetAsync($"/api/v1/articles/{archived["id"]}"), HttpStatusCode.OK);
            await ExpectProblem(await Public.GetAsync("/api/v1/articles/999"), HttpStatusCode.NotFound);
            await ExpectProblem(await Public.GetAsync("/api/v1/articles/no-such-slug"), HttpStatusCode.NotFound);
        });
    }

    [Test]
    public async Task List_shows_the_public_published_articles_newest_first_and_editors_everything()
    {
        await CreatePublishedArticle("First");
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await CreateArticle(new { title = "Unfinished" });
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await CreatePublishedArticle("Second");

        var publicList = await Read<ListPage>(await Public.GetAsync("/api/v1/articles"));
        var editorList = await Read<ListPage>(await Editor.GetAsync("/api/v1/articles"));
        var drafts = await Read<ListPage>(await Editor.GetAsync("/api/v1/articles?status=draft"));

        Assert.Multiple(() =>
        {
            Assert.That(publicList.Items.Select(a => a.Title), Is.EqualTo(new[] { "Second", "First" }));
            Assert.That(editorList.Items.Select(a => a.Title), Is.EqualTo(new[] { "Second", "Unfinished", "First" }));
            Assert.That(drafts.Items.Select(a => a.Title), Is.EqualTo(new[] { "Unfinished" }));
        });
    }

    [Test]
    public async Task Listing_drafts_without_a_key_is_401()
    {
        await ExpectProblem(await Public.GetAsync("/api/v1/articles?status=draft"), HttpStatusCode.Unauthorized);
        await Expect(await Public.GetAsync("/api/v1/articles?status=published"), HttpStatusCode.OK);
    }

    [Test]
    public async Task List_pages_with_limit_and_offset()
    {
        for (var i = 1; i <= 5; i++)
        {
            await CreatePublishedArticle($"Story {i}");
            Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await Read<ListPage>(await Public.GetAsync("/api/v1/articles?limit=2"));
        var byOffset = await Read<ListPage>(await Public.GetAsync("/api/v1/articles?limit=2&offset=4"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Items.Select(a => a.Title), Is.EqualTo(new[] { "Story 5", "Story 4" }));
            Assert.That(first.NextCursor, Is.Not.Null);
            Assert.That(byOffset.Items.Select(a => a.Title), Is.EqualTo(new[] { "Story 1" }));
            Assert.That(byOffset.NextCursor, Is.Null);
        });
    }

    [TestCase("limit=0", "limit", "between 1 and 100")]
    [TestCase("limit=101", "limit", "between 1 and 100")]
    [TestCase("limit=abc", "limit", "whole number")]
    [TestCase("offset=-1", "offset", "between 0 and 1000")]
    [TestCase("offset=1001", "offset", "nextCursor")]
    [TestCase("offset=1.5", "offset", "whole number")]
    [TestCase("status=1", "status", "draft, scheduled, published, archived")]
    [TestCase("status=live", "status", "draft, scheduled, published, archived")]
    public async Task List_rejects_bad_query_values(string query, string field, string message)
    {
        var messages = await ExpectFieldError(await Editor.GetAsync($"/api/v1/articles?{query}"), field);

        Assert.That(messages, Has.Some.Contains(message));
    }

    [Test]
    public async Task Text_comes_back_byte_for_byte()
    {
        const string title = "“Curly” quotes, emoji 🗞️, é vs e\u0301, Ελληνικά, עברית, 中文";
        const string standfirst = "Line one\r\nLine two\n\nTabs\tand  double  spaces, trailing space ";
        var created = await CreateArticle(new { title, standfirst, slug = "unicode" });

        var raw = await (await Editor.GetAsync($"/api/v1/articles/{created["id"]}")).Content.ReadAsByteArrayAsync();
        var read = JsonNode.Parse(raw)!;

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetBytes((string)read["title"]!), Is.EqualTo(Encoding.UTF8.GetBytes(title)));
            Assert.That(Encoding.UTF8.GetBytes((string)read["standfirst"]!), Is.EqualTo(Encoding.UTF8.GetBytes(standfirst)));
        });
    }

    private sealed record ListPage(List<ArticleItem> Items, string? NextCursor, long? TotalCount);

    private sealed record ArticleItem(long Id, string Title, string Status);
}
