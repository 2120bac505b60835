using Cms.Api.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Hosting;

public static class HealthCheck
{
    public sealed record HealthResponse(string Status);

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Check(CmsDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_migrations", cancellationToken: cancellationToken));
            return TypedResults.Ok(new HealthResponse("ok"));
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable.", detail: exception.Message);
        }
    }
}
