namespace Cms.Api.Tests.Articles;

/// <summary>
/// What a search answers beyond which articles match: relevance ranks the newest Cms:Search:RankedMatches matches (here
/// 100), while date order walks them all; and each hit's snippet shows the passage that matched, marked.
/// </summary>
public sealed class SearchResultsTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Search:RankedMatches"] = "100" };

    private async Task<JsonObject> Search(string query) =>
        await Expect(await Public.GetAsync($"/api/v1/articles?{query}"), HttpStatusCode.OK);

    private static string Snippet(JsonObject page, int item = 0) => (string)page["items"]![item]!["snippet"]!;

    [Test]
    public async Task Relevance_ranks_the_newest_matches_and_date_order_reaches_every_match()
    {
        // The oldest match is the best one (the word in its title), but 120 newer articles match too.
        var lines = new List<string> { """{"slug":"old-ferry","title":"Ferry ferry ferry","status":"published","sections":[{"body":"The ferry."}]}""" };
        for (var i = 1; i <= 120; i++)
        {
            lines.Add($$"""{"slug":"news-{{i}}","title":"News {{i}}","status":"published","sections":[{"body":"A long day, and then the ferry was late {{i}}."}]}""");
        }

        lines.Add("""{"slug":"draft-ferry","title":"Ferry draft","status":"draft","sections":[{"body":"Ferry."}]}""");
        var content = new StringContent(string.Join('\n', lines), System.Text.Encoding.UTF8, "application/x-ndjson");
        await Expect(await Editor.PostAsync("/api/v1/import", content), HttpStatusCode.OK);

        var ranked = await Search("q=ferry&count=true&limit=100");
        var byDate = await Search("q=ferry&count=true&sort=-publishedAt&limit=100");
        var slugs = ranked["items"]!.AsArray().Select(a => (string)a!["slug"]!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((long)ranked["totalCount"]!, Is.EqualTo(100), "the count is what can be paged through");
            Assert.That(slugs, Has.Count.EqualTo(100).And.No.Member("old-ferry"), "the public's newest 100 matches, not counting the draft");
            Assert.That(slugs, Does.Contain("news-120").And.Contain("news-21").And.Not.Contain("news-20"));
            Assert.That(ranked["nextCursor"], Is.Null);
            Assert.That((long)byDate["totalCount"]!, Is.EqualTo(121), "date order walks every match");
        });
    }

    [Test]
    public async Task A_snippet_marks_words_phrases_and_prefixes_in_the_passage_that_matched()
    {
        var id = (long)(await CreatePublishedArticle("Harbour report"))["id"]!;
        await CreateSection(id, new
        {
            body = string.Join(' ', Enumerable.Repeat("Nothing happened at the quay today.", 12))
                + " The lighthouse keeper saw a red sky at night. " + string.Join(' ', Enumerable.Repeat("Boats came and went.", 12)),
        });

        var word = Snippet(await Search("q=keeper"));
        var phrase = Snippet(await Search("q=%22red%20sky%22"));
        var prefix = Snippet(await Search("q=light*"));
        Assert.Multiple(() =>
        {
            Assert.That(word, Is.EqualTo("…The lighthouse <mark>keeper</mark> saw a red sky at night. Boats came and went. Boats came and went. Boats came and went. Boats came and…"));
            Assert.That(phrase, Does.Contain("saw a <mark>red sky</mark> at night"));
            Assert.That(prefix, Does.Contain("The <mark>lighthouse</mark> keeper"));
        });
    }

    [Test]
    public async Task A_snippet_marks_a_word_written_with_accents_the_query_left_out()
    {
        var id = (long)(await CreatePublishedArticle("Opening"))["id"]!;
        await CreateSection(id, new { body = "A new Café opened by the station." });

        Assert.That(Snippet(await Search("q=cafe")), Is.EqualTo("A new <mark>Café</mark> opened by the station."));
    }
}
