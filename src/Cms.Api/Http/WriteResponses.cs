using System.Globalization;
using Cms.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Http;

/// <summary>A representation with a version, which a 412 names.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>
/// Turns a store write into its HTTP answer, the same way for every resource: the success result with the ETag of what
/// was written; 400 naming the fields; 404; 409; 412 with the current version and ETag; 429 with Retry-After; and 428 when the server requires
/// If-Match and the request has none.
/// </summary>
internal static class WriteResponses
{
    /// <summary>A write guarded by If-Match: the check runs inside the store's transaction, against the row it changes.</summary>
    public static async Task<Results<TSuccess, ValidationProblem, ProblemHttpResult>> ConditionalAsync<TRow, TResponse, TSuccess>(
        HttpContext context, ETags etags, string what, Func<TRow, TResponse> toResponse,
        Func<Func<TRow, bool>, Task<WriteResult<TRow>>> write, Func<TResponse, TSuccess> onSuccess)
        where TRow : class
        where TResponse : IVersioned
        where TSuccess : IResult
    {
        var ifMatch = IfMatch.From(context.Request);
        if (PreconditionResults.RequireIfConfigured(context, ifMatch) is { } required)
        {
            return required;
        }

        var result = await write(current => ifMatch.Matches(etags.Of(toResponse(current))));
        return result.ToHttp(context, etags, what, toResponse, onSuccess);
    }

    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> ToHttp<TRow, TResponse, TSuccess>(
        this WriteResult<TRow> write, HttpContext context, ETags etags, string what, Func<TRow, TResponse> toResponse, Func<TResponse, TSuccess> onSuccess)
        where TRow : class
        where TResponse : IVersioned
        where TSuccess : IResult
    {
        if (write.Outcome == WriteOutcome.Invalid)
        {
            return Validation.Problem(write.Errors!);
        }

        if (!write.Succeeded && write.Outcome != WriteOutcome.Stale)
        {
            return write.ToProblem(context, what);
        }

        var response = toResponse(write.Row!);
        var etag = etags.Of(response);
        if (write.Outcome == WriteOutcome.Stale)
        {
            return PreconditionResults.Failed(context, what, response.Version, etag);
        }

        context.Response.Headers.ETag = etag;
        return onSuccess(response);
    }

    /// <summary>The problem for a write refused as not found, conflicting or too soon.</summary>
    public static ProblemHttpResult ToProblem<TRow>(this WriteResult<TRow> write, HttpContext context, string what)
        where TRow : class
    {
        switch (write.Outcome)
        {
            case WriteOutcome.Conflict:
                return Problems.Conflict(write.Message!);
            case WriteOutcome.TooSoon:
                var seconds = (int)Math.Ceiling(write.RetryAfter.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Problems.TooManyRequests(string.Format(CultureInfo.InvariantCulture, write.Message!, seconds));
            default:
                return Problems.NotFound(what);
        }
    }
}
