using System.Net.Http.Json;
using System.Text;

namespace Cms.Api.Tests;

/// <summary>Base for HTTP tests: every test gets its own application and database.</summary>
public abstract class ApiTest
{
    protected CmsFactory Factory { get; private set; } = null!;

    protected HttpClient Public { get; private set; } = null!;

    protected HttpClient Editor { get; private set; } = null!;

    /// <summary>Extra configuration for this fixture's application (e.g. Cms:Comments:AutoApprove).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    [SetUp]
    public void StartApplication()
    {
        Factory = new CmsFactory(settings: Settings);
        Public = Factory.Anonymous();
        Editor = Factory.Editor();
    }

    [TearDown]
    public void StopApplication()
    {
        Public.Dispose();
        Editor.Dispose();
        Factory.Dispose();
        Factory.DeleteDatabase();
    }

    protected static StringContent Json(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, mediaType);

    protected static StringContent Json(object body) => Json(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    protected static async Task<JsonObject> Body(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    protected static async Task<JsonObject> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts an RFC 9457 problem with the status, and returns it.</summary>
    protected static async Task<JsonObject> ExpectProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await Expect(response, status);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((int?)problem["status"], Is.EqualTo((int)status));
            Assert.That((string?)problem["title"], Is.Not.Empty);
            Assert.That((string?)problem["type"], Does.StartWith("https://"), "every problem has a type");
        });
        return problem;
    }

    /// <summary>Asserts a 400 whose <c>errors</c> has <paramref name="field"/>, and returns that field's messages.</summary>
    protected static async Task<string[]> ExpectFieldError(HttpResponseMessage response, string field)
    {
        var problem = await ExpectProblem(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject();
        Assert.That(errors, Is.Not.Null, problem.ToJsonString());
        Assert.That(errors!.Select(e => e.Key), Does.Contain(field), problem.ToJsonString());
        return errors[field]!.AsArray().Select(m => (string)m!).ToArray();
    }

    protected async Task<JsonObject> CreateArticle(object? body = null) =>
        await Expect(await Editor.PostAsync("/api/v1/articles", Json(body ?? new { title = "A test article" })), HttpStatusCode.Created);

    protected async Task<JsonObject> CreatePublishedArticle(string title = "A published article") =>
        await CreateArticle(new { title, status = "published" });

    protected async Task<JsonObject> CreateSection(long articleId, object body) =>
        await Expect(await Editor.PostAsync($"/api/v1/articles/{articleId}/sections", Json(body)), HttpStatusCode.Created);

    protected static Task<HttpResponseMessage> Patch(HttpClient client, string url, string json, string mediaType = "application/merge-patch+json") =>
        client.PatchAsync(url, Json(json, mediaType));

    protected static async Task<T> Read<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
}
