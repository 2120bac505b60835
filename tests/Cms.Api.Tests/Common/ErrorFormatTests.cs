namespace Cms.Api.Tests.Common;

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

    [Test]
    public async Task Validation_errors_are_keyed_by_the_camel_case_json_field()
    {
        var article = (long)(await CreatePublishedArticle())["id"]!;

        var problem = await ExpectProblem(await Editor.PostAsync($"/api/v1/articles/{article}/pull-quotes", Json(new { text = "Q", afterParagraph = -1 })), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("afterParagraph"));
    }
}
