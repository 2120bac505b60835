namespace Cms.Api.Http;

/// <summary>
/// Paging for lists: <c>limit</c> (1..100, default 20) and an opaque <c>cursor</c> from the previous page's
/// <c>nextCursor</c>. <c>offset</c> is kept for short jumps only (at most 1,000, and not with a cursor):
/// walking a long list goes by cursor, which costs the same on page 10,000 as on page 1.
/// </summary>
public sealed record ListParameters(int Limit, Cursor? After, int Offset, bool Count)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxOffset = 1000;

    /// <summary>Fetch one more than a page, to know whether there is a next one without counting.</summary>
    public int FetchCount => Limit + 1;

    public static bool TryParse(
        int? limit, string? cursor, int? offset, bool? count, string sort,
        out ListParameters parameters, out IDictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"'limit' must be between 1 and {MaxLimit}."];
        }

        if (offset is < 0 or > MaxOffset)
        {
            errors["offset"] = [$"'offset' must be between 0 and {MaxOffset}; to walk further, follow nextCursor."];
        }

        if (offset is > 0 && !string.IsNullOrEmpty(cursor))
        {
            errors["offset"] = ["Use either 'offset' or 'cursor', not both."];
        }

        if (!Cursor.TryDecode(cursor, sort, out var after, out var cursorError))
        {
            errors["cursor"] = [cursorError!];
        }

        parameters = new ListParameters(limit ?? DefaultLimit, after, offset ?? 0, count ?? false);
        return errors.Count == 0;
    }

    /// <summary>Cuts the fetched rows to a page and makes the cursor that continues after its last item.</summary>
    public (IReadOnlyList<TRow> Rows, string? NextCursor) Cut<TRow>(IReadOnlyList<TRow> fetched, string sort, Func<TRow, (string Key, long Id)> keyOf)
    {
        if (fetched.Count <= Limit)
        {
            return (fetched, null);
        }

        var page = fetched.Take(Limit).ToList();
        var (key, id) = keyOf(page[^1]);
        return (page, new Cursor(sort, key, id).Encode());
    }
}
