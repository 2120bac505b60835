namespace Cms.Api.Common;

/// <summary>A page of a list. <c>nextOffset</c> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Limit, int Offset, int? NextOffset);

/// <summary>All items of a small, bounded list (an article's sections or pull-quotes).</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);

public readonly record struct Paging(int Limit, int Offset)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Checks <c>limit</c> (1..100, default 20) and <c>offset</c> (≥ 0, default 0).</summary>
    public static bool TryCreate(int? limit, int? offset, out Paging paging, out IDictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"'limit' must be between 1 and {MaxLimit}."];
        }

        if (offset is < 0)
        {
            errors["offset"] = ["'offset' must be 0 or more."];
        }

        paging = new Paging(limit ?? DefaultLimit, offset ?? 0);
        return errors.Count == 0;
    }

    /// <summary>Fetches one row more than a page so the last page is known without counting.</summary>
    public int FetchCount => Limit + 1;

    public Page<T> ToPage<T>(IReadOnlyList<T> fetched) => fetched.Count > Limit
        ? new Page<T>(fetched.Take(Limit).ToList(), Limit, Offset, Offset + Limit)
        : new Page<T>(fetched, Limit, Offset, null);
}
