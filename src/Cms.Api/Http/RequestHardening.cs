using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>What every request and response gets, before any endpoint sees them.</summary>
internal static class RequestHardening
{
    /// <summary>
    /// Every response says what it is and may not be framed: browsers must not sniff a JSON body into something
    /// runnable, and no other site may frame Swagger UI (where an editor's key is typed) to trick clicks.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = headers.ContentSecurityPolicy.Count == 0 ? "frame-ancestors 'none'" : headers.ContentSecurityPolicy;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });

    /// <summary>
    /// JSON bodies are UTF-8 (RFC 8259). A body that declares another charset is refused with 415 before anything reads
    /// it: decoding it would fail, or worse, succeed with the wrong characters.
    /// </summary>
    public static IApplicationBuilder UseUtf8Bodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            && mediaType.Charset is { Length: > 0 } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = "Unsupported content type.",
                    Detail = $"Bodies are read as UTF-8: send charset=utf-8 (or no charset), not '{charset.Value}'.",
                },
            });
            return;
        }

        await next(context);
    });
}
