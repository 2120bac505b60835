using System.Diagnostics;

namespace Cms.Api.Observability;

/// <summary>
/// One log line per request (category <c>Cms.Api.Observability.RequestLog</c>): method, route template, status, duration, the key's
/// name and the trace id. Never the path's values, the query, a key, an e-mail address, a comment or a client address:
/// the route template says which operation without saying about whom. 429 and 503 are warnings, and so is a refused
/// key (a 401 to a request that sent one), so that they stand out at the default level.
/// </summary>
internal static partial class RequestLog
{
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLog).FullName!);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var status = context.Response.StatusCode;
                var refusedKey = status == StatusCodes.Status401Unauthorized && context.Request.Headers.Authorization.Count > 0;
                var level = status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable || refusedKey
                    ? LogLevel.Warning
                    : LogLevel.Information;
                if (logger.IsEnabled(level))
                {
                    Served(logger, level, context.Request.Method, Route(context), status,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : refusedKey ? "(refused)" : "-",
                        Activity.Current?.TraceId.ToHexString() ?? "-");
                }
            }
        });
    }

    // A group's own route ends in a slash ("/api/v1/articles/"): logged as the request names it.
    private static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route ? "/" + route.Trim('/') : "(no route)";

    [LoggerMessage(EventId = 1, EventName = "Request", Message = "{Method} {Route} {Status} in {DurationMs:0.0} ms (key {KeyName}, trace {TraceId})")]
    private static partial void Served(ILogger logger, LogLevel level, string method, string route, int status, double durationMs, string? keyName, string traceId);
}
