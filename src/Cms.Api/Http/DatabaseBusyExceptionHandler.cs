using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Http;

/// <summary>
/// A write that waited its whole timeout for SQLite's write lock (e.g. behind a long import) is the server being
/// busy, not a bug: 503 with Retry-After, so clients and CI retry instead of seeing a 500.
/// </summary>
internal sealed class DatabaseBusyExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is busy.",
                Detail = "Another long write (such as a bulk import) holds the database. Nothing was changed; retry in a few seconds.",
            },
            Exception = exception,
        });
    }
}
