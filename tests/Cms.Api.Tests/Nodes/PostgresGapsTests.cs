namespace Cms.Api.Tests.Nodes;

/// <summary>
/// What the PostgreSQL engine does not do yet answers a 501 problem that says so, never a 500, and leaves the rest
/// working. Each case turns into the engine's own tests as it lands.
/// </summary>
[Category(Engines.PostgresOnly)]
public sealed class PostgresGapsTests : ApiTest
{
    [Test]
    public async Task Import_and_upsert_are_501_problems_and_lists_and_export_still_work()
    {
        await CreatePublishedArticle("Harbour ferry returns");

        var import = await ExpectProblem(await Editor.PostAsync("/api/v1/import", Json("""{"articles":[{"slug":"a","title":"A"}]}""")), HttpStatusCode.NotImplemented);
        Assert.That((string?)import["detail"], Does.Contain("Import runs on the SQLite engine only"));
        await ExpectProblem(await Editor.PutAsync("/api/v1/articles/by-slug/b", Json("""{"title":"B"}""")), HttpStatusCode.NotImplemented);

        var list = await Expect(await Public.GetAsync("/api/v1/articles"), HttpStatusCode.OK);
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1));
        var export = await Expect(await Editor.GetAsync("/api/v1/export"), HttpStatusCode.OK);
        Assert.That(export["articles"]!.AsArray().Select(a => (string?)a!["title"]), Is.EqualTo(new[] { "Harbour ferry returns" }));
    }
}
