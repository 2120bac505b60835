namespace Cms.Api.Http;

/// <summary>
/// What a store write did: the saved row; or a field and reason when the request can't apply to the stored
/// data (a position past the end, a section of another article); the current row when If-Match failed;
/// or nothing when the target does not exist.
/// </summary>
internal sealed record WriteResult<TRow>(TRow? Row, string? ErrorField = null, string? Error = null, bool PreconditionFailed = false)
    where TRow : class
{
    public static readonly WriteResult<TRow> NotFound = new(null, null, null);

    public static WriteResult<TRow> Invalid(string field, string error) => new(null, field, error);

    public static WriteResult<TRow> Stale(TRow current) => new(current, PreconditionFailed: true);
}

/// <summary>Turns a store write into the HTTP answer, the same way for every resource.</summary>
internal static class WriteResponses
{
    public static IResult ToHttp<TRow, TResponse>(
        this WriteResult<TRow> write, HttpContext context, ETags etags, string what,
        Func<TRow, TResponse> toResponse, Func<TResponse, long> versionOf, Func<TResponse, IResult> onSuccess)
        where TRow : class
    {
        if (write.Row is not { } row)
        {
            return write.Error is null ? Problems.NotFound(what) : Problems.Invalid(write.ErrorField!, write.Error);
        }

        var response = toResponse(row);
        var etag = etags.Of(response);
        if (write.PreconditionFailed)
        {
            return PreconditionResults.Failed(context, what, versionOf(response), etag);
        }

        context.Response.Headers.ETag = etag;
        return onSuccess(response);
    }
}

/// <summary>A write guarded by If-Match: 428 when required and missing, the store's check in its transaction, one answer shape.</summary>
internal static class ConditionalWrites
{
    public static async Task<IResult> RunAsync<TRow, TResponse>(
        HttpContext context, ETags etags, string what,
        Func<TRow, TResponse> toResponse, Func<TResponse, long> versionOf,
        Func<Func<TRow, bool>, Task<WriteResult<TRow>>> write,
        Func<TResponse, IResult> onSuccess)
        where TRow : class
    {
        var ifMatch = IfMatch.From(context.Request);
        if (PreconditionResults.RequireIfConfigured(context, ifMatch) is { } required)
        {
            return required;
        }

        var result = await write(current => ifMatch.Matches(etags.Of(toResponse(current))));
        return result.ToHttp(context, etags, what, toResponse, versionOf, onSuccess);
    }
}
