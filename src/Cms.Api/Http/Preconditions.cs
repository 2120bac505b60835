using Cms.Api.Settings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>
/// If-Match on writes (optimistic concurrency). The check runs inside the write's transaction, against the
/// ETag of the resource as an editor GETs it, so no edit is lost silently between read and write.
/// </summary>
public sealed class IfMatch
{
    private readonly IReadOnlyList<string>? tags;

    private IfMatch(IReadOnlyList<string>? tags) => this.tags = tags;

    public static readonly IfMatch Absent = new(null);

    public bool IsPresent => tags is not null;

    public static IfMatch From(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return Absent;
        }

        // Unparseable values match nothing (412) rather than being ignored.
        return EntityTagHeaderValue.TryParseList(header, out var parsed)
            ? new IfMatch(parsed.Where(t => !t.IsWeak || t.Equals(EntityTagHeaderValue.Any)).Select(t => t.Tag.ToString()).ToList())
            : new IfMatch([]);
    }

    /// <summary>Strong comparison (RFC 9110 §13.1.1): a weak validator never matches.</summary>
    public bool Matches(string currentETag) => tags is null || tags.Any(t => t == "*" || t == currentETag);
}

public static class PreconditionResults
{
    /// <summary>428 when Cms:RequireIfMatch is on and the write has no If-Match; otherwise null.</summary>
    public static ProblemHttpResult? RequireIfConfigured(HttpContext context, IfMatch ifMatch)
    {
        var required = context.RequestServices.GetRequiredService<IOptions<CmsOptions>>().Value.RequireIfMatch;
        return required && !ifMatch.IsPresent
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match required.",
                detail: "This server requires If-Match on writes: GET the resource, then send its ETag in If-Match so no one else's change is overwritten.")
            : null;
    }

    /// <summary>412 naming the current version and ETag, which is also sent as the ETag header.</summary>
    public static ProblemHttpResult Failed(HttpContext context, string what, long currentVersion, string currentETag)
    {
        context.Response.Headers.ETag = currentETag;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The resource has changed.",
            detail: $"The {what} was changed by someone else: it is now version {currentVersion} (ETag {currentETag}). GET it again, reapply your change and send the new ETag in If-Match.",
            extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion, ["currentETag"] = currentETag });
    }
}

/// <summary>Marks an endpoint that honours If-Match (and, with Cms:RequireIfMatch, requires it).</summary>
public sealed class HonoursIfMatch;

public static class WritePreconditionsExtensions
{
    public static RouteHandlerBuilder WritePreconditions(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new HonoursIfMatch())
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
