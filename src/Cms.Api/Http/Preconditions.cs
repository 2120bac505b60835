using System.Text.RegularExpressions;
using Cms.Api.Settings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cms.Api.Http;

/// <summary>
/// If-Match on writes (optimistic concurrency). The check runs inside the write's transaction, against the
/// ETag of the resource as an editor GETs it, so no edit is lost silently between read and write.
/// </summary>
public sealed partial class IfMatch
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

        // RFC 9110 §13.1.1: "*" alone, or a list of entity-tags. Anything else matches nothing (412) rather than being
        // read leniently: "*, \"a\"" or "*/ OR /*" must not pass for "*".
        var value = string.Join(",", header.ToArray()).Trim();
        if (value == "*")
        {
            return new IfMatch(["*"]);
        }

        var tags = new List<string>();
        foreach (var element in value.Split(','))
        {
            var tag = element.Trim();
            if (tag.Length == 0)
            {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            }

            if (!EntityTag().IsMatch(tag))
            {
                return new IfMatch([]);
            }

            if (!tag.StartsWith("W/", StringComparison.Ordinal))
            {
                tags.Add(tag);
            }
        }

        return new IfMatch(tags);
    }

    /// <summary>Strong comparison (RFC 9110 §13.1.1): a weak validator never matches.</summary>
    public bool Matches(string currentETag) => tags is null || tags.Any(t => t == "*" || t == currentETag);

    // An entity-tag: optionally weak, then a quoted string of etagc characters (no quote, no control characters).
    [GeneratedRegex("""^(W/)?"[\x21\x23-\x7E\x80-\uFFFF]*"$""")]
    private static partial Regex EntityTag();
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
