using Cms.Api.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Cms.Api.Http;

/// <summary>
/// Database conditions that are not bugs, answered as problems instead of 500s: a write that waited its whole timeout for
/// the write lock (e.g. behind a long import), or a database server out of reach for a moment, is the server being busy
/// (503 with Retry-After, so clients and CI retry); a feature the configured engine does not have yet is 501, saying so.
/// </summary>
internal sealed class DatabaseExceptionHandler(IProblemDetailsService problemDetails, CmsDatabase database) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            NotOnThisEngineException => (StatusCodes.Status501NotImplemented, "Not available on this database engine.", exception.Message),
            _ when database.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "The database is busy.",
                "Another long write (such as a bulk import) holds the database, or it is out of reach for a moment. Nothing was changed; retry in a few seconds."),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
            Exception = exception,
        });
    }
}
