namespace Cms.Api.Tests.Articles;

/// <summary>What a search answers on PostgreSQL until search runs there: a clear 501 problem, never a 500.</summary>
[Category(Engines.PostgresOnly)]
public sealed class PostgresSearchTests : ApiTest
{
    [Test]
    public async Task A_search_is_a_501_problem_and_a_list_without_q_still_works()
    {
        await CreatePublishedArticle("Harbour ferry returns");
        var problem = await ExpectProblem(await Public.GetAsync("/api/v1/articles?q=harbour"), HttpStatusCode.NotImplemented);
        Assert.That((string?)problem["detail"], Does.Contain("SQLite engine only"));

        var list = await Expect(await Public.GetAsync("/api/v1/articles"), HttpStatusCode.OK);
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1));
    }
}
