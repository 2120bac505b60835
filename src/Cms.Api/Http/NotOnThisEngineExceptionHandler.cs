using Cms.Api.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Cms.Api.Http;

/// <summary>A feature the configured database engine does not have yet is a 501 problem that says so, not a 500.</summary>
internal sealed class NotOnThisEngineExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not NotOnThisEngineException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status501NotImplemented,
                Title = "Not available on this database engine.",
                Detail = exception.Message,
            },
            Exception = exception,
        });
    }
}
