using System.Net.Http.Headers;
using System.Text;

namespace Cms.Api.Tests.Transfer;

/// <summary>Articles written and read as Markdown: the newsroom's seed page goes in and comes back byte for byte.</summary>
public sealed class MarkdownTests : ApiTest
{
    private static readonly string SeedArticle = File.ReadAllText(RepositoryFiles.Path("tests", "Cms.Api.Tests", "Transfer", "Fixtures", "seed-article.md"));

    [Test]
    public async Task The_seed_article_round_trips_byte_for_byte()
    {
        var created = await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/us-strikes", Markdown(SeedArticle)), HttpStatusCode.Created);
        var article = created["article"]!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)article["title"], Is.EqualTo("US launches air strikes on Iran-backed militias in Iraq and Syria"));
            Assert.That((string?)article["standfirst"], Does.StartWith("The US military has carried out air strikes on 85 targets"));
            Assert.That(article["sections"]!.AsArray().Select(s => (string?)s!["heading"]), Is.EqualTo(new[]
            {
                "Biden vows to defend US interests and allies", "US targets command and control centers, rockets and drones",
                "Syrian state TV reports casualties, Iran condemns strikes", "US seeks to deter Iran and its proxies, but risks escalation",
            }));
            Assert.That((string?)article["sections"]![0]!["body"], Does.Contain("“tiered response”").And.Contain("\n\nBiden attended"));
            Assert.That((string?)article["pullQuotes"]![0]!["text"], Is.EqualTo("militias in Iraq and Syria"));
            Assert.That((long)article["pullQuotes"]![0]!["sectionId"]!, Is.EqualTo((long)article["sections"]![1]!["id"]!));
            Assert.That((int)article["pullQuotes"]![0]!["afterParagraph"]!, Is.EqualTo(1));
        });

        var read = await ReadMarkdown(Editor, "us-strikes");
        Assert.That(read, Is.EqualTo("---\nslug: us-strikes\n---\n\n" + SeedArticle), "the same bytes, with the slug that differs from the title's");
        var again = await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/us-strikes", Markdown(read)), HttpStatusCode.OK);
        Assert.That((bool)again["unchanged"]!, Is.True);
    }

    [Test]
    public async Task Posting_Markdown_creates_the_whole_article_and_numbers_a_slug_made_from_the_title()
    {
        var first = await Expect(await Editor.PostAsync("/api/v1/articles", Markdown(SeedArticle)), HttpStatusCode.Created);
        var second = await Expect(await Editor.PostAsync("/api/v1/articles", Markdown(SeedArticle)), HttpStatusCode.Created);

        Assert.That((string?)first["slug"], Is.EqualTo("us-launches-air-strikes-on-iran-backed-militias-in-iraq-and-syria"));
        Assert.That((string?)second["slug"], Is.EqualTo("us-launches-air-strikes-on-iran-backed-militias-in-iraq-and-syria-2"));
        Assert.That(second["sections"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(await ReadMarkdown(Editor, (string)first["slug"]!), Is.EqualTo(SeedArticle), "no front matter: everything is as the defaults say");
        await ExpectProblem(await Editor.PostAsync("/api/v1/articles", Markdown("---\nslug: us-launches-air-strikes-on-iran-backed-militias-in-iraq-and-syria\n---\n\n# Again\n")), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Front_matter_attributions_and_a_first_section_without_heading_round_trip()
    {
        const string text = """
            ---
            byline: Ada Penrose
            status: scheduled
            publishAt: 2026-11-26T06:00:00.000Z
            ---

            # Night of the flood

            The river rose two metres in an hour.

            Sirens woke the town at three.

            > We had minutes — A resident

            Boats came at dawn.

            ## Counting the cost

            Nobody was hurt.

            """;
        await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/night-of-the-flood", Markdown(text)), HttpStatusCode.Created);

        var page = await Expect(await Editor.GetAsync("/api/v1/articles/night-of-the-flood?include=sections,pullQuotes"), HttpStatusCode.OK);
        Assert.Multiple(async () =>
        {
            Assert.That(await ReadMarkdown(Editor, "night-of-the-flood"), Is.EqualTo(text));
            Assert.That((string?)page["status"], Is.EqualTo("scheduled"));
            Assert.That((string?)page["byline"], Is.EqualTo("Ada Penrose"));
            Assert.That(page["sections"]![0]!["heading"], Is.Null);
            Assert.That((string?)page["sections"]![0]!["body"], Is.EqualTo("Sirens woke the town at three.\n\nBoats came at dawn."));
            Assert.That((string?)page["pullQuotes"]![0]!["attribution"], Is.EqualTo("A resident"));
        });
    }

    [TestCase("No title here.\n", "title")]
    [TestCase("---\nauthor: Ada\n---\n\n# Title\n", "author")]
    [TestCase("---\nstatus: live\n---\n\n# Title\n", "status")]
    [TestCase("# Title\n\nStandfirst.\n\n## Heading\n\n> Quoted\n\nText.\n\n> Too — many — dashes\n", null)]
    public async Task Markdown_that_cannot_be_an_article_is_refused_naming_the_field(string text, string? field)
    {
        var response = await Editor.PutAsync("/api/v1/articles/by-slug/refused", Markdown(text));
        if (field is null)
        {
            await Expect(response, HttpStatusCode.Created);
            return;
        }

        await ExpectFieldError(response, field);
        await ExpectProblem(await Editor.GetAsync("/api/v1/articles/refused"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_public_reads_published_articles_as_Markdown_only()
    {
        await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/draft-story", Markdown("# Draft story\n")), HttpStatusCode.Created);
        await Expect(await Editor.PutAsync("/api/v1/articles/by-slug/live-story", Markdown("---\nstatus: published\n---\n\n# Live story\n")), HttpStatusCode.Created);

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles/draft-story");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));
        await ExpectProblem(await Public.SendAsync(request), HttpStatusCode.NotFound);
        Assert.That(await ReadMarkdown(Public, "live-story"), Does.EndWith("# Live story\n"));
        var json = await Public.GetAsync("/api/v1/articles/live-story");
        Assert.That(json.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), "the JSON view is not served to Markdown readers, nor the other way round");
        Assert.That(await ReadMarkdown(Public, "live-story"), Does.StartWith("---"));
    }

    private static StringContent Markdown(string text) => new(text, Encoding.UTF8, "text/markdown");

    private static async Task<string> ReadMarkdown(HttpClient client, string article)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{article}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/markdown"));
        return await response.Content.ReadAsStringAsync();
    }
}
