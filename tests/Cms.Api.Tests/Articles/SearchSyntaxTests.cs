namespace Cms.Api.Tests.Articles;

/// <summary>
/// The search language, one on both engines (FTS5's on SQLite, translated to a tsquery on PostgreSQL): the same query
/// finds the same articles, and the same malformed query is the same 400.
/// </summary>
public sealed class SearchSyntaxTests : ApiTest
{
    [SetUp]
    public async Task ThreeArticles()
    {
        var strike = (long)(await CreatePublishedArticle("Ferry strike ends"))["id"]!;
        await CreateSection(strike, new { heading = "Harbour", body = "The red sky at night over the quay." });
        var cafe = (long)(await CreatePublishedArticle("Café reopens"))["id"]!;
        await CreateSection(cafe, new { body = "Ferry passengers welcome the G7 summit in 2026." });
        var budget = (long)(await CreateArticle(new { title = "Council budget", byline = "Ana Núñez", status = "published" }))["id"]!;
        await CreateSection(budget, new { body = "The harbour master spoke." });
    }

    [TestCase("ferry", new[] { "Ferry strike ends", "Café reopens" })]
    [TestCase("\"red sky\"", new[] { "Ferry strike ends" })]
    [TestCase("\"sky red\"", new string[0])]
    [TestCase("ferry + strike", new[] { "Ferry strike ends" })]
    [TestCase("ferry NOT strike", new[] { "Café reopens" })]
    [TestCase("budget OR café", new[] { "Café reopens", "Council budget" })]
    [TestCase("harb*", new[] { "Ferry strike ends", "Council budget" })]
    [TestCase("title:ferry", new[] { "Ferry strike ends" })]
    [TestCase("-title: ferry", new[] { "Café reopens" })]
    [TestCase("{title standfirst}: reopens", new[] { "Café reopens" })]
    [TestCase("cafe", new[] { "Café reopens" })]
    [TestCase("NUNEZ", new[] { "Council budget" })]
    [TestCase("g7 2026", new[] { "Café reopens" })]
    [TestCase("(ferry OR budget) AND harbour", new[] { "Ferry strike ends", "Council budget" })]
    [TestCase("NEAR(ferry passengers)", new[] { "Café reopens" })]
    [TestCase("ferry AND quay", new[] { "Ferry strike ends" })]
    [TestCase("ferry strike NOT quay OR budget", new[] { "Council budget" })]
    [TestCase("^ferry title:strike*", new[] { "Ferry strike ends" })]
    [TestCase("_", new string[0])]
    public async Task Each_query_form_finds_the_same_articles_on_every_engine(string q, string[] titles)
    {
        var page = await Expect(await Public.GetAsync($"/api/v1/articles?q={Uri.EscapeDataString(q)}"), HttpStatusCode.OK);

        Assert.That(page["items"]!.AsArray().Select(a => (string)a!["title"]!), Is.EquivalentTo(titles));
    }

    [TestCase("\"unbalanced")]
    [TestCase("AND")]
    [TestCase("ferry AND")]
    [TestCase("title: (")]
    [TestCase("(ferry")]
    [TestCase("ferry)")]
    [TestCase("NEAR(ferry")]
    [TestCase("nosuch:ferry")]
    [TestCase("ferry!")]
    [TestCase("(ferry OR budget) harbour")]
    [TestCase("ferry - strike")]
    [TestCase("NOT ferry")]
    public async Task A_malformed_query_is_the_same_400_on_every_engine(string q)
    {
        var messages = await ExpectFieldError(await Public.GetAsync($"/api/v1/articles?q={Uri.EscapeDataString(q)}"), "q");

        Assert.That(messages, Has.Some.Contains("could not be understood"));
    }
}
