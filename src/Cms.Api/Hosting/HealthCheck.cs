using Cms.Api.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Hosting;

public static class HealthCheck
{
    private const string CountDue = "SELECT COUNT(*) FROM article_pages_due";

    /// <param name="Status">"ok" when the database answers.</param>
    /// <param name="PagesToRender">Published pages waiting to be rendered (after an import or an upgrade); until they
    /// are, they are built from the tables on each read, which is correct but slower.</param>
    public sealed record HealthResponse(string Status, long PagesToRender);

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Check(CmsDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var due = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountDue, cancellationToken: cancellationToken));
            return TypedResults.Ok(new HealthResponse("ok", due));
        }
        catch (System.Data.Common.DbException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable.", detail: exception.Message);
        }
    }
}
