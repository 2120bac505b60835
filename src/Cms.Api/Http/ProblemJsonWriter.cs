using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

using Microsoft.Extensions.Options;

namespace Cms.Api.Http;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's Accept header says. ASP.NET Core's own
/// writer declines when Accept names no JSON type (a browser's <c>text/html</c>), which left challenges and status pages
/// with no body, or failed outright; an API's errors are JSON, and a client that asked for HTML still reads a clear one.
/// Fills in what every problem carries: a <c>type</c> link for its status, a title, and the request's trace id.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public const string MediaType = "application/problem+json";

    private static readonly Dictionary<int, (string Type, string Title)> Defaults = new()
    {
        [400] = ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
        [401] = ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
        [403] = ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
        [404] = ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"),
        [405] = ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method Not Allowed"),
        [406] = ("https://tools.ietf.org/html/rfc9110#section-15.5.7", "Not Acceptable"),
        [409] = ("https://tools.ietf.org/html/rfc9110#section-15.5.10", "Conflict"),
        [412] = ("https://tools.ietf.org/html/rfc9110#section-15.5.13", "Precondition Failed"),
        [413] = ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "Content Too Large"),
        [415] = ("https://tools.ietf.org/html/rfc9110#section-15.5.16", "Unsupported Media Type"),
        [422] = ("https://tools.ietf.org/html/rfc9110#section-15.5.21", "Unprocessable Content"),
        [428] = ("https://tools.ietf.org/html/rfc6585#section-3", "Precondition Required"),
        [429] = ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
        [500] = ("https://tools.ietf.org/html/rfc9110#section-15.6.1", "Internal Server Error"),
        [503] = ("https://tools.ietf.org/html/rfc9110#section-15.6.4", "Service Unavailable"),
    };

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        if (Defaults.TryGetValue(problem.Status.Value, out var defaults))
        {
            problem.Type ??= defaults.Type;
            problem.Title ??= defaults.Title;
        }

        if (!problem.Extensions.ContainsKey("traceId"))
        {
            // The trace's id, as logs and trace backends show it (the W3C traceparent also comes back as a header).
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;
        }

        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), jsonOptions.Value.SerializerOptions, MediaType, http.RequestAborted));
    }
}
