namespace Cms.Api.Tests.Articles;

/// <summary>Filters, sorts, keyset cursors and full-text search on GET /api/v1/articles.</summary>
public sealed class ArticleListTests : ApiTest
{
    private async Task<JsonObject> Page(string url, HttpClient? client = null) => await Expect(await (client ?? Public).GetAsync(url), HttpStatusCode.OK);

    private static string[] Titles(JsonObject page) => page["items"]!.AsArray().Select(a => (string)a!["title"]!).ToArray();

    /// <summary>Follows nextCursor to the end, returning every item and checking the Link header agrees.</summary>
    private async Task<List<JsonNode>> Walk(string url, HttpClient? client = null, Func<Task>? betweenPages = null)
    {
        var items = new List<JsonNode>();
        var next = url;
        for (var pages = 0; next is not null; pages++)
        {
            Assert.That(pages, Is.LessThan(100), "the walk ends");
            var response = await (client ?? Public).GetAsync(next);
            var page = await Expect(response, HttpStatusCode.OK);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.DeepClone()));
            var cursor = (string?)page["nextCursor"];
            var link = response.Headers.TryGetValues("Link", out var links) ? links.Single() : null;
            if (cursor is null)
            {
                Assert.That(link, Is.Null);
                next = null;
            }
            else
            {
                Assert.That(link, Does.Contain($"cursor={Uri.EscapeDataString(cursor)}").And.EndWith("rel=\"next\""));
                next = link![1..link.IndexOf('>', StringComparison.Ordinal)];
            }

            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }

        return items;
    }

    [Test]
    public async Task Walking_250_articles_by_cursor_while_new_ones_arrive_gives_each_exactly_once_in_order()
    {
        var created = new List<long>();
        for (var i = 0; i < 250; i++)
        {
            created.Add((long)(await CreatePublishedArticle($"Story {i:000}"))["id"]!);
            if (i % 3 == 0)
            {
                Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // groups of equal publishedAt: the id breaks ties
            }
        }

        var arrivals = 0;
        var walked = await Walk("/api/v1/articles?limit=20", betweenPages: async () =>
        {
            Factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await CreatePublishedArticle($"Late arrival {arrivals++}");
        });

        var ids = walked.Select(a => (long)a["id"]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Is.EquivalentTo(created), "every article that existed when the walk began, and no newer one");
            Assert.That(walked.Select(a => (string)a["publishedAt"]!), Is.Ordered.Descending);
            Assert.That(arrivals, Is.EqualTo(13));
        });
    }

    [Test]
    public async Task Count_adds_a_total_only_when_asked()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreatePublishedArticle($"S{i}");
        }

        await CreateArticle(new { title = "Draft" });

        Assert.That((await Page("/api/v1/articles?limit=1&count=true"))["totalCount"]?.GetValue<long>(), Is.EqualTo(3));
        Assert.That((await Page("/api/v1/articles?limit=1", Editor))!.ContainsKey("totalCount"), Is.False);
        Assert.That((await Page("/api/v1/articles?count=true", Editor))["totalCount"]?.GetValue<long>(), Is.EqualTo(4));
    }

    [TestCase("title", new[] { "alpha", "Bravo", "charlie", "Delta" })]
    [TestCase("publishedAt", new[] { "charlie", "alpha", "Delta", "Bravo" })]
    [TestCase("-publishedAt", new[] { "Bravo", "Delta", "alpha", "charlie" })]
    [TestCase("-updatedAt", new[] { "alpha", "Bravo", "Delta", "charlie" })]
    public async Task Every_sort_pages_correctly(string sort, string[] expected)
    {
        var ids = new Dictionary<string, long>();
        foreach (var title in new[] { "charlie", "alpha", "Delta", "Bravo" })
        {
            ids[title] = (long)(await CreatePublishedArticle(title))["id"]!;
            Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        foreach (var edited in new[] { "Delta", "Bravo", "alpha" })
        {
            await Expect(await Patch(Editor, $"/api/v1/articles/{ids[edited]}", """{"byline":"edited"}"""), HttpStatusCode.OK);
            Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var walked = await Walk($"/api/v1/articles?sort={Uri.EscapeDataString(sort)}&limit=1");

        Assert.That(walked.Select(a => (string)a["title"]!), Is.EqualTo(expected));
    }

    [Test]
    public async Task Filters_by_byline_publication_window_and_status()
    {
        await CreateArticle(new { title = "A", byline = "Ada Penrose", status = "published" });
        Factory.Clock.Advance(TimeSpan.FromDays(1));
        await CreateArticle(new { title = "B", byline = "Ben Ruiz", status = "published" });
        Factory.Clock.Advance(TimeSpan.FromDays(1));
        await CreateArticle(new { title = "C", byline = "ada penrose and Ben Ruiz", status = "published" });
        await CreateArticle(new { title = "D", byline = "Ada Penrose" });

        Assert.Multiple(async () =>
        {
            Assert.That(Titles(await Page("/api/v1/articles?byline=PENROSE")), Is.EqualTo(new[] { "C", "A" }));
            Assert.That(Titles(await Page("/api/v1/articles?publishedAfter=2026-11-25T12:00:00Z")), Is.EqualTo(new[] { "C", "B" }));
            Assert.That(Titles(await Page("/api/v1/articles?publishedAfter=2026-11-25T12:00:00Z&publishedBefore=2026-11-26T12:00:00Z")), Is.EqualTo(new[] { "B" }));
            Assert.That(Titles(await Page("/api/v1/articles?status=draft&byline=ada", Editor)), Is.EqualTo(new[] { "D" }));
            await ExpectFieldError(await Public.GetAsync("/api/v1/articles?publishedAfter=yesterday"), "publishedAfter");
            await ExpectFieldError(await Public.GetAsync("/api/v1/articles?publishedAfter=2026-12-01T00:00:00Z&publishedBefore=2026-11-01T00:00:00Z"), "publishedBefore");
        });
    }

    [TestCase("sort=newest", "sort")]
    [TestCase("sort=relevance", "sort")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("include=comments", "include")]
    [TestCase("count=maybe", "count")]
    [TestCase("offset=5&cursor=abc", "offset")]
    public async Task Bad_list_parameters_are_400(string query, string field)
    {
        await ExpectFieldError(await Public.GetAsync($"/api/v1/articles?{query}"), field);
    }

    [Test]
    public async Task A_cursor_from_another_sort_is_refused()
    {
        await CreatePublishedArticle("One");
        await CreatePublishedArticle("Two");
        var cursor = (string)(await Page("/api/v1/articles?limit=1&sort=title"))["nextCursor"]!;

        var messages = await ExpectFieldError(await Public.GetAsync($"/api/v1/articles?cursor={Uri.EscapeDataString(cursor)}"), "cursor");

        Assert.That(messages, Has.Some.Contains("'title'"));
    }

    [Test]
    public async Task Lists_embed_sections_and_pull_quotes_in_one_round_trip()
    {
        var first = (long)(await CreatePublishedArticle("First"))["id"]!;
        var second = (long)(await CreatePublishedArticle("Second"))["id"]!;
        await CreateSection(first, new { body = "1a" });
        await CreateSection(first, new { body = "1b" });
        await CreateSection(second, new { body = "2a" });
        await Expect(await Editor.PostAsync($"/api/v1/articles/{second}/pull-quotes", Json(new { text = "Q" })), HttpStatusCode.Created);
        var before = Factory.Commands;
        var page = await Page("/api/v1/articles?include=sections,pullQuotes");
        var commands = Factory.Commands - before;

        var byTitle = page["items"]!.AsArray().ToDictionary(a => (string)a!["title"]!);
        Assert.Multiple(() =>
        {
            Assert.That(commands, Is.EqualTo(1));
            Assert.That(byTitle["First"]!["sections"]!.AsArray().Select(s => (string?)s!["body"]), Is.EqualTo(new[] { "1a", "1b" }));
            Assert.That(byTitle["First"]!["pullQuotes"]!.AsArray(), Is.Empty);
            Assert.That(byTitle["Second"]!["sections"]!.AsArray().Select(s => (string?)s!["body"]), Is.EqualTo(new[] { "2a" }));
            Assert.That(byTitle["Second"]!["pullQuotes"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }
}

public sealed class ArticleSearchTests : ApiTest
{
    private async Task<JsonObject> Search(string q, HttpClient? client = null) =>
        await Expect(await (client ?? Public).GetAsync($"/api/v1/articles?q={Uri.EscapeDataString(q)}"), HttpStatusCode.OK);

    private static string[] Titles(JsonObject page) => page["items"]!.AsArray().Select(a => (string)a!["title"]!).ToArray();

    [Test]
    public async Task Search_ranks_title_matches_first_and_marks_the_snippet()
    {
        var inBody = (long)(await CreatePublishedArticle("Council meeting"))["id"]!;
        await CreateSection(inBody, new { heading = "Other business", body = "Councillors also discussed the ferry timetable <b>briefly</b>." });
        await CreatePublishedArticle("Ferry returns to the harbour");
        await CreatePublishedArticle("Nothing relevant");

        var page = await Search("ferry");

        Assert.Multiple(() =>
        {
            Assert.That(Titles(page), Is.EqualTo(new[] { "Ferry returns to the harbour", "Council meeting" }));
            var snippet = (string)page["items"]![1]!["snippet"]!;
            Assert.That(snippet, Does.Contain("<mark>ferry</mark>"));
            Assert.That(snippet, Does.Contain("&lt;b&gt;briefly&lt;/b&gt;"), "the text around the match is HTML-escaped");
            Assert.That((string)page["items"]![0]!["snippet"]!, Does.Contain("<mark>Ferry</mark>"));
        });
    }

    [Test]
    public async Task The_index_follows_section_inserts_updates_and_deletes_and_ignores_drafts_for_the_public()
    {
        var article = (long)(await CreatePublishedArticle("Weather"))["id"]!;
        var section = (long)(await CreateSection(article, new { body = "Sunny spells." }))["id"]!;
        await CreateArticle(new { title = "Draft about hailstorms" });

        Assert.That(Titles(await Search("sunny")), Is.EqualTo(new[] { "Weather" }));
        await Expect(await Patch(Editor, $"/api/v1/sections/{section}", """{"body":"Hailstorms expected."}"""), HttpStatusCode.OK);
        Assert.That(Titles(await Search("sunny")), Is.Empty);
        Assert.That(Titles(await Search("hailstorms")), Is.EqualTo(new[] { "Weather" }));
        Assert.That(Titles(await Search("hailstorms", Editor)), Is.EquivalentTo(new[] { "Weather", "Draft about hailstorms" }));
        await Expect(await Editor.DeleteAsync($"/api/v1/sections/{section}"), HttpStatusCode.NoContent);
        Assert.That(Titles(await Search("hailstorms")), Is.Empty);
        await Expect(await Patch(Editor, $"/api/v1/articles/{article}", """{"standfirst":"Hailstorms after all"}"""), HttpStatusCode.OK);
        Assert.That(Titles(await Search("hailstorm*")), Is.EqualTo(new[] { "Weather" }));
    }

    [Test]
    public async Task Search_matches_without_accents_and_pages_by_relevance_cursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreatePublishedArticle($"Café story {i}");
        }

        var walked = new List<string>();
        var url = "/api/v1/articles?q=cafe&limit=2";
        while (url is not null)
        {
            var page = await Expect(await Public.GetAsync(url), HttpStatusCode.OK);
            walked.AddRange(Titles(page));
            var cursor = (string?)page["nextCursor"];
            url = cursor is null ? null! : $"/api/v1/articles?q=cafe&limit=2&cursor={Uri.EscapeDataString(cursor)}";
        }

        Assert.That(walked, Has.Count.EqualTo(5).And.Unique);
    }

    [TestCase("\"unbalanced")]
    [TestCase("AND")]
    [TestCase("title: (")]
    public async Task Bad_search_syntax_is_a_400_not_a_500(string q)
    {
        await CreatePublishedArticle("Something");

        var messages = await ExpectFieldError(await Public.GetAsync($"/api/v1/articles?q={Uri.EscapeDataString(q)}"), "q");

        Assert.That(messages, Has.Some.Contains("could not be understood"));
    }
}
