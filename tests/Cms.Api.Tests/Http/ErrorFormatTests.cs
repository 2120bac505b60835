namespace Cms.Api.Tests.Http;

public sealed class ErrorFormatTests : ApiTest
{
    [Test]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var problem = await ExpectProblem(await Public.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);

        Assert.That((string?)problem["detail"], Does.Contain("/api/v1/nothing-here"));
    }

    [Test]
    public async Task A_wrong_method_is_a_405_problem()
    {
        await ExpectProblem(await Editor.PostAsync("/api/v1/sections/1", Json(new { body = "x" })), HttpStatusCode.MethodNotAllowed);
    }

    [TestCase("/api/v1/articles?status=gone")]
    [TestCase("/api/v1/articles?limit=abc")]
    [TestCase("/api/v1/comments?status=gone")]
    [TestCase("/api/v1/export?status=gone")]
    public async Task Bad_query_values_get_the_same_title_and_a_detail_everywhere(string url)
    {
        var problem = await ExpectProblem(await Editor.GetAsync(url), HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That((string?)problem["title"], Is.EqualTo("One or more fields are not valid."));
            Assert.That((string?)problem["detail"], Is.Not.Empty);
            Assert.That(problem["errors"]!.AsObject(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Validation_errors_are_keyed_by_the_camel_case_json_field()
    {
        var article = (long)(await CreatePublishedArticle())["id"]!;

        var problem = await ExpectProblem(await Editor.PostAsync($"/api/v1/articles/{article}/pull-quotes", Json(new { text = "Q", afterParagraph = -1 })), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("afterParagraph"));
    }
}

public sealed class DatabaseBusyTests
{
    [Test]
    [Category(Engines.SqliteOnly)]
    public async Task A_write_that_cannot_get_the_lock_is_503_with_Retry_After_not_500()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cms-busy-{Guid.NewGuid():N}.db");
        using var factory = new CmsFactory(path, new Dictionary<string, string?> { ["ConnectionStrings:Cms"] = $"Data Source={path};Default Timeout=1" });
        var client = factory.Editor();
        await client.GetAsync("/healthz");

        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var transaction = blocker.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);

            var response = await client.PostAsync("/api/v1/articles", new StringContent("""{"title":"Blocked"}""", System.Text.Encoding.UTF8, "application/json"));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        var after = await client.PostAsync("/api/v1/articles", new StringContent("""{"title":"Unblocked"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        factory.Dispose();
        factory.DeleteDatabase();
    }
}
