namespace Cms.Api.Common;

/// <summary>
/// What a store write did: the saved row; or a field and reason when the request can't apply to the stored
/// data (a position past the end, a section of another article); or neither when the target does not exist.
/// </summary>
internal sealed record WriteResult<TRow>(TRow? Row, string? ErrorField = null, string? Error = null) where TRow : class
{
    public static readonly WriteResult<TRow> NotFound = new(null, null, null);

    public static WriteResult<TRow> Invalid(string field, string error) => new(null, field, error);
}
