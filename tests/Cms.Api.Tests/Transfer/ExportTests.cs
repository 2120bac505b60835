using System.Net.Http.Headers;
using System.Text;

namespace Cms.Api.Tests.Transfer;

public sealed class ExportTests : ApiTest
{
    [Test]
    public async Task Export_then_import_into_an_empty_database_then_export_gives_identical_bytes()
    {
        var sample = await File.ReadAllTextAsync(RepositoryFiles.Path("scripts", "sample-content.json"));
        await Expect(await Editor.PostAsync("/api/v1/import", Json(sample)), HttpStatusCode.OK);
        var json = await Editor.GetByteArrayAsync("/api/v1/export");
        var ndjsonRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/export");
        ndjsonRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        var ndjson = await (await Editor.SendAsync(ndjsonRequest)).Content.ReadAsByteArrayAsync();

        using var empty = new CmsFactory();
        try
        {
            var client = empty.Editor();
            await Expect(await client.PostAsync("/api/v1/import", new ByteArrayContent(json) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }), HttpStatusCode.OK);
            var again = await client.GetByteArrayAsync("/api/v1/export");

            using var emptyNdjson = new CmsFactory();
            var ndjsonClient = emptyNdjson.Editor();
            await Expect(await ndjsonClient.PostAsync("/api/v1/import", new ByteArrayContent(ndjson) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-ndjson") } }), HttpStatusCode.OK);
            var ndjsonAgainRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/export");
            ndjsonAgainRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
            var ndjsonAgain = await (await ndjsonClient.SendAsync(ndjsonAgainRequest)).Content.ReadAsByteArrayAsync();
            emptyNdjson.DeleteDatabase();

            Assert.Multiple(() =>
            {
                Assert.That(again, Is.EqualTo(json));
                Assert.That(ndjsonAgain, Is.EqualTo(ndjson));
                Assert.That(Encoding.UTF8.GetString(json), Does.Contain("\"email\":\"tom@example.org\""), "admin keys get e-mail addresses");
                Assert.That(Encoding.UTF8.GetString(json), Does.Contain("\"parent\":0"));
                Assert.That(Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(6));
            });
        }
        finally
        {
            empty.DeleteDatabase();
        }
    }

    [Test]
    public async Task Export_filters_by_status_and_updatedSince()
    {
        await Expect(await Editor.PostAsync("/api/v1/import", Json(new { articles = new object[] { ImportTests.Article(1), new { slug = "draft-one", title = "Draft" } } })), HttpStatusCode.OK);
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        await Expect(await Patch(Editor, "/api/v1/articles/1", """{"byline":"later"}"""), HttpStatusCode.OK);

        var drafts = JsonNode.Parse(await Editor.GetStringAsync("/api/v1/export?status=draft"))!;
        var recent = JsonNode.Parse(await Editor.GetStringAsync("/api/v1/export?updatedSince=2026-11-25T09:30:00Z"))!;

        Assert.That(drafts["articles"]!.AsArray().Select(a => (string?)a!["slug"]), Is.EqualTo(new[] { "draft-one" }));
        Assert.That(recent["articles"]!.AsArray().Select(a => (string?)a!["slug"]), Is.EqualTo(new[] { "story-1" }));
        await ExpectProblem(await Public.GetAsync("/api/v1/export"), HttpStatusCode.Unauthorized);
        await ExpectFieldError(await Editor.GetAsync("/api/v1/export?status=gone"), "status");
    }

    /// <summary>Gives its bytes a few at a time, as a slow network would.</summary>
}
