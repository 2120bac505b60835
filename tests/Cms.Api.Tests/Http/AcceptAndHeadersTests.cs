using System.Net.Http.Headers;
using System.Text;

namespace Cms.Api.Tests.Http;

/// <summary>
/// Errors are application/problem+json whatever the request's Accept header says, and every response carries the
/// headers that keep browsers from sniffing or framing it.
/// </summary>
public sealed class AcceptAndHeadersTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:RateLimitPerMinute"] = "1",
        ["Cms:Comments:FloodSeconds"] = "0",
    };

    private static HttpRequestMessage Request(HttpMethod method, string url, string accept, string? bearer = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    private static async Task ExpectJsonProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
            Assert.That((int?)JsonNode.Parse(body)!["status"], Is.EqualTo((int)status));
            Assert.That((string?)JsonNode.Parse(body)!["type"], Is.Not.Empty, "every problem has a type");
            Assert.That(body, Does.Not.Contain("System.").And.Not.Contain("Exception"));
        });
    }

    [TestCase("text/html")]
    [TestCase("text/plain")]
    [TestCase("application/x-ndjson")]
    [TestCase("image/png")]
    public async Task A_challenge_is_a_problem_whatever_is_accepted(string accept)
    {
        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Get, "/api/v1/comments", accept)), HttpStatusCode.Unauthorized);
        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Get, "/api/v1/articles", accept, bearer: "wrong")), HttpStatusCode.Unauthorized);
        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Get, "/api/v1/export", accept)), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Forbidden_too_large_unknown_wrong_method_and_bad_query_are_problems_for_a_browser()
    {
        var created = await Expect(await Editor.PostAsync("/api/v1/keys", Json(new { name = "desk", role = "editor" })), HttpStatusCode.Created);
        var editorKey = (string)created["secret"]!;

        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Get, "/api/v1/keys", "text/html", editorKey)), HttpStatusCode.Forbidden);
        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Get, "/api/v1/nothing", "text/html")), HttpStatusCode.NotFound);
        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Delete, "/api/v1/articles", "text/html")), HttpStatusCode.MethodNotAllowed);
        await ExpectJsonProblem(await Public.SendAsync(Request(HttpMethod.Get, "/api/v1/articles?limit=abc", "text/plain")), HttpStatusCode.BadRequest);
        var big = new StringContent(new string('x', 2 * 1024 * 1024), Encoding.UTF8, "application/json");
        await ExpectJsonProblem(await Editor.SendAsync(Request(HttpMethod.Post, "/api/v1/articles", "text/html", CmsFactory.AdminKey, big)), HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task The_rate_limit_answer_is_a_problem_for_a_browser()
    {
        await CreatePublishedArticle("Harbour news");
        var post = () => Public.SendAsync(Request(HttpMethod.Post, "/api/v1/articles/harbour-news/comments", "text/html", content: Json(new { name = "A", body = Guid.NewGuid().ToString() })));

        await post();
        var limited = await post();

        await ExpectJsonProblem(limited, HttpStatusCode.TooManyRequests);
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
    }

    [TestCase("application/json; charset=nope")]
    [TestCase("application/json; charset=iso-8859-1")]
    [TestCase("application/merge-patch+json; charset=utf-16")]
    public async Task A_body_in_another_charset_is_415_and_changes_nothing(string contentType)
    {
        var article = await CreatePublishedArticle("Harbour news");
        var body = new ByteArrayContent("{\"name\":\"A\",\"body\":\"B\",\"title\":\"C\"}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        await ExpectJsonProblem(await Public.PostAsync("/api/v1/articles/harbour-news/comments", body), HttpStatusCode.UnsupportedMediaType);
        await ExpectJsonProblem(await Editor.PatchAsync($"/api/v1/articles/{article["id"]}", body), HttpStatusCode.UnsupportedMediaType);
        Assert.That((string?)(await Body(await Public.GetAsync($"/api/v1/articles/{article["id"]}")))["title"], Is.EqualTo("Harbour news"));
    }

    [Test]
    public async Task Utf8_declared_either_way_is_read()
    {
        var body = new StringContent("{\"title\":\"Café\"}", Encoding.UTF8);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");

        await Expect(await Editor.PostAsync("/api/v1/articles", body), HttpStatusCode.Created);
    }

    [TestCase("/api/v1/articles")]
    [TestCase("/api/v1/nothing")]
    [TestCase("/swagger/index.html")]
    [TestCase("/swagger/v1/swagger.json")]
    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task Every_response_forbids_sniffing_and_framing(string url)
    {
        var response = await Public.GetAsync(url);

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
            Assert.That(string.Join(";", response.Headers.GetValues("Content-Security-Policy")), Does.Contain("frame-ancestors 'none'"));
        });
    }
}
