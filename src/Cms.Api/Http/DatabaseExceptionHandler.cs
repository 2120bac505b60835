using Cms.Api.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Cms.Api.Http;

/// <summary>
/// The database conditions that are not bugs, answered as a problem instead of a 500: a write that waited its whole
/// timeout for the write lock (e.g. behind a long import), or a database server out of reach for a moment, is the server
/// being busy (503 with Retry-After, so clients and CI retry).
/// </summary>
internal sealed class DatabaseExceptionHandler(IProblemDetailsService problemDetails, CmsDatabase database) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!database.IsUnavailable(exception))
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
                Detail = "Another long write (such as a bulk import) holds the database, or it is out of reach for a moment. Nothing was changed; retry in a few seconds.",
            },
            Exception = exception,
        });
    }
}
