using System.Net.Http.Headers;
using System.Text;

namespace Cms.Api.Tests.Hosting;

/// <summary>
/// What an editor gets by pressing Execute on every operation as Swagger UI offers it: on a fresh Development install,
/// in the document's order, each example succeeds (or says that it shows a 404, and does), and the demo article reads
/// the same afterwards.
/// </summary>
public sealed class OpenApiExampleTests : ApiTest
{
    private const string Demo = "/api/v1/articles/the-night-the-river-came-to-town?include=sections,pullQuotes,comments";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:SeedDemoContent"] = "true" };

    [Test]
    public async Task Every_example_works_as_offered_and_leaves_the_demo_article_as_it_was()
    {
        var document = JsonNode.Parse(await Public.GetStringAsync("/swagger/v1/swagger.json"))!;
        var demoBefore = Visible(await Public.GetStringAsync(Demo));
        var executed = 0;

        Assert.Multiple(async () =>
        {
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    var id = (string)operation!["operationId"]!;
                    var url = (operation["parameters"]?.AsArray() ?? []).Aggregate(path, (u, p) =>
                        (string?)p!["in"] == "path" ? u.Replace($"{{{(string)p["name"]!}}}", p["example"]!.ToString(), StringComparison.Ordinal) : u);
                    var keyed = operation["security"]?.AsArray().Count > 0;
                    var showsNotFound = ((string?)operation["description"] ?? "").Contains("shows the 404", StringComparison.Ordinal);
                    var bodies = operation["requestBody"]?["content"]?.AsObject().Select(c => (MediaType: c.Key, Example: c.Value!["example"]))
                        .ToList() ?? [(MediaType: "", Example: null)];

                    foreach (var (mediaType, example) in bodies)
                    {
                        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                        if (mediaType != "")
                        {
                            var text = example!.GetValueKind() == System.Text.Json.JsonValueKind.String ? example.GetValue<string>() : example.ToJsonString();
                            request.Content = new StringContent(text, Encoding.UTF8);
                            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                        }

                        var response = await (keyed ? Editor : Public).SendAsync(request);
                        executed++;
                        var what = $"{id} {method.ToUpperInvariant()} {url} {mediaType}: {await response.Content.ReadAsStringAsync()}";
                        if (showsNotFound)
                        {
                            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), what);
                        }
                        else
                        {
                            Assert.That((int)response.StatusCode, Is.InRange(200, 299), what);
                        }
                    }
                }
            }
        });

        Assert.That(executed, Is.GreaterThan(50));
        Assert.That(Visible(await Public.GetStringAsync(Demo)), Is.EqualTo(demoBefore), "the demo article reads as it did");
    }

    // What a reader sees of the demo article: its text, parts and comments, without versions and times.
    private static string Visible(string page)
    {
        var article = JsonNode.Parse(page)!.AsObject();
        string[] fields = ["title", "standfirst", "byline", "status"];
        var sections = article["sections"]!.AsArray().Select(s => $"{s!["heading"]}|{s["body"]}");
        var quotes = article["pullQuotes"]!.AsArray().Select(q => $"{q!["text"]}|{q["attribution"]}|{q["sectionId"]}|{q["afterParagraph"]}");
        var comments = article["comments"]!.AsArray().Select(c => $"{c!["name"]}|{c["body"]}");
        return string.Join("\n", fields.Select(f => article[f]?.ToString()).Concat(sections).Concat(quotes).Concat(comments));
    }
}
