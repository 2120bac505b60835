using System.Text;

namespace Cms.Api.Tests.Http;

/// <summary>Inputs a fuzzer found answered with 500: each is a clear 4xx problem that names no .NET type and changes nothing.</summary>
public sealed class BadInputTests : ApiTest
{
    private static async Task<JsonObject> ExpectCleanProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ExpectProblem(response, status);
        Assert.That(problem.ToJsonString(), Does.Not.Contain("System.").And.Not.Contain("Cms.Api").And.Not.Contain("Exception"));
        return problem;
    }

    [TestCase("""{"action":"approve"}""")]
    [TestCase("""{"action":"approve","ids":null}""")]
    [TestCase("""{"action":"approve","ids":[]}""")]
    public async Task Moderating_without_ids_is_a_400_naming_ids(string body)
    {
        var problem = await ExpectCleanProblem(await Editor.PostAsync("/api/v1/comments/moderate", Json(body)), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("ids"));
    }

    [TestCase("""{"title":"x","sections":[null]}""", "sections[0]")]
    [TestCase("""{"title":"x","sections":[{"body":"a"}],"pullQuotes":[null]}""", "pullQuotes[0]")]
    [TestCase("""{"title":"x","sections":[null],"pullQuotes":[{"text":"q","section":1,"afterParagraph":1}]}""", "sections[0]")]
    public async Task A_null_part_in_a_document_is_a_400_at_its_path(string document, string path)
    {
        var upsert = await ExpectCleanProblem(await Editor.PutAsync("/api/v1/articles/by-slug/x", Json(document)), HttpStatusCode.BadRequest);
        var import = await ExpectCleanProblem(await Editor.PostAsync("/api/v1/import", Json($$"""{"articles":[{{document.Replace("{\"title\"", "{\"slug\":\"x\",\"title\"")}}]}""")), HttpStatusCode.BadRequest);
        var ndjson = await ExpectCleanProblem(await Editor.PostAsync("/api/v1/import", new StringContent(document.Replace("{\"title\"", "{\"slug\":\"x\",\"title\"") + "\n", Encoding.UTF8, "application/x-ndjson")), HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That(upsert["errors"]!.AsObject().Select(e => e.Key), Does.Contain(path));
            Assert.That(import["errors"]!.AsObject().Select(e => e.Key), Does.Contain($"articles[0].{path}"));
            Assert.That(ndjson["errors"]!.AsObject().Select(e => e.Key), Does.Contain($"articles[0].{path}"));
        });
        Assert.That((await Editor.GetAsync("/api/v1/articles/x")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing was written");
    }

    [TestCase("""{"title":"\ud800"}""")]
    [TestCase("""{"\ud800":"x"}""")]
    [TestCase("""{"title":"ok \udfff end"}""")]
    public async Task A_lone_surrogate_in_a_patch_is_a_400_on_every_patch_route(string patch)
    {
        var article = await CreatePublishedArticle("Harbour news");
        var id = (long)article["id"]!;
        var section = await CreateSection(id, new { body = "One." });
        var quote = await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/pull-quotes", Json(new { text = "Q" })), HttpStatusCode.Created);
        var comment = await Expect(await Public.PostAsync($"/api/v1/articles/{id}/comments", Json(new { name = "A", body = "B" })), HttpStatusCode.Created);

        foreach (var url in new[] { $"/api/v1/articles/{id}", $"/api/v1/sections/{section["id"]}", $"/api/v1/pull-quotes/{quote["id"]}", $"/api/v1/comments/{comment["id"]}" })
        {
            await ExpectCleanProblem(await Patch(Editor, url, patch), HttpStatusCode.BadRequest);
        }

        Assert.That((string?)(await Body(await Public.GetAsync($"/api/v1/articles/{id}")))["title"], Is.EqualTo("Harbour news"));
    }

    [TestCase("""{"comments":"x"}""", "comments", "Expected an array.")]
    [TestCase("""{"comments":[{"article":"a","name":"n","body":"b","status":7}]}""", "comments[0].status", "Expected one of: pending, approved, spam, rejected.")]
    [TestCase("""{"articles":[{"slug":"a","title":"t","status":"gone"}]}""", "articles[0].status", "Expected one of: draft, scheduled, published, archived.")]
    public async Task Import_errors_say_what_was_expected_not_which_dotnet_type(string bundle, string path, string message)
    {
        var problem = await ExpectCleanProblem(await Editor.PostAsync("/api/v1/import", Json(bundle)), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]![path]!.AsArray().Select(m => (string?)m), Does.Contain(message), problem.ToJsonString());
    }

    [Test]
    public async Task An_ndjson_line_with_a_wrong_value_names_its_line_and_field()
    {
        var lines = "{\"slug\":\"a\",\"title\":\"t\"}\n{\"comment\":{\"article\":\"a\",\"name\":\"n\",\"body\":\"b\",\"status\":7}}\n";
        var problem = await ExpectCleanProblem(await Editor.PostAsync("/api/v1/import", new StringContent(lines, Encoding.UTF8, "application/x-ndjson")), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!["line 2, comment.status"]!.AsArray().Select(m => (string?)m), Does.Contain("Expected one of: pending, approved, spam, rejected."), problem.ToJsonString());
    }

    [TestCase("*/ OR /*")]
    [TestCase("*, \"a\"")]
    [TestCase("\"unterminated")]
    [TestCase("no-quotes")]
    [TestCase("W/\"weak\"")]
    [TestCase("\"a\" \"b\"")]
    public async Task A_malformed_or_weak_If_Match_matches_nothing(string ifMatch)
    {
        var article = await CreateArticle(new { title = "Original" });
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/articles/{article["id"]}") { Content = Json(new { title = "Changed" }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        await ExpectCleanProblem(await Editor.SendAsync(request), HttpStatusCode.PreconditionFailed);
        Assert.That((string?)(await Body(await Editor.GetAsync($"/api/v1/articles/{article["id"]}")))["title"], Is.EqualTo("Original"));
    }

    // HttpClient tidies some header values before sending them (it turns "*," into "*"), so these are given to the
    // parser as a server receives them.
    [TestCase("*,", false)]
    [TestCase(",*", false)]
    [TestCase("* ", true)]
    [TestCase("\"a\", ,\"b\"", true)]
    [TestCase("\"a\" x", false)]
    public void If_Match_is_parsed_strictly(string header, bool matchesA)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers.IfMatch = header;

        Assert.That(Cms.Api.Http.IfMatch.From(context.Request).Matches("\"a\""), Is.EqualTo(matchesA));
    }

    [Test]
    public async Task A_list_of_entity_tags_naming_the_current_one_matches()
    {
        var article = await CreateArticle(new { title = "Original" });
        var etag = (await Editor.GetAsync($"/api/v1/articles/{article["id"]}")).Headers.ETag!.Tag;
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/articles/{article["id"]}") { Content = Json(new { title = "Changed" }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"old\", {etag},");

        await Expect(await Editor.SendAsync(request), HttpStatusCode.OK);
    }
}
