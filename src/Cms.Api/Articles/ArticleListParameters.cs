using Cms.Api.Http;
using Microsoft.AspNetCore.Mvc;

namespace Cms.Api.Articles;

/// <summary>The query parameters of GET /api/v1/articles.</summary>
public sealed class ArticleListParameters
{
    /// <summary>draft, scheduled, published or archived (other than published needs a key).</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary>Full-text search over title, standfirst, byline, headings and bodies (FTS5 syntax: words, "phrases", OR, NOT, prefix*).</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Only articles whose byline contains this text (case-insensitive).</summary>
    [FromQuery(Name = "byline")]
    public string? Byline { get; init; }

    /// <summary>Only articles published after this instant (ISO 8601).</summary>
    [FromQuery(Name = "publishedAfter")]
    public DateTimeOffset? PublishedAfter { get; init; }

    /// <summary>Only articles published before this instant (ISO 8601).</summary>
    [FromQuery(Name = "publishedBefore")]
    public DateTimeOffset? PublishedBefore { get; init; }

    /// <summary>-publishedAt (default; relevance when q is given), publishedAt, -updatedAt, title, or relevance (with q).</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    /// <summary>Items per page, 1 to 100 (default 20).</summary>
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    /// <summary>The nextCursor of the previous page.</summary>
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    /// <summary>Skip this many items (at most 1000, not with cursor). Prefer cursor.</summary>
    [FromQuery(Name = "offset")]
    public int? Offset { get; init; }

    /// <summary>true adds totalCount (one extra COUNT over the filters).</summary>
    [FromQuery(Name = "count")]
    public bool? Count { get; init; }

    /// <summary>sections and/or pullQuotes, comma-separated: embedded in each item.</summary>
    [FromQuery(Name = "include")]
    public string? Include { get; init; }

    internal bool TryValidate(out ArticleListQuery query, out IDictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>();
        query = null!;

        if (!QueryValues.TryParseEnum<ArticleStatus>(Status, "status", out var status, out var statusErrors))
        {
            errors.Merge(statusErrors);
        }

        var search = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        var sortName = Sort ?? (search is null ? ArticleSort.Default : ArticleSort.Relevance.Name);
        ArticleSort? sort = null;
        if (sortName == ArticleSort.Relevance.Name)
        {
            if (search is null)
            {
                errors["sort"] = ["Sorting by relevance needs a search ('q')."];
            }
            else
            {
                sort = ArticleSort.Relevance;
            }
        }
        else if (!ArticleSort.ByName.TryGetValue(sortName, out sort))
        {
            errors["sort"] = [$"'sort' must be one of: {string.Join(", ", ArticleSort.ByName.Keys)}, relevance."];
        }

        if (!ListParameters.TryParse(Limit, Cursor, Offset, Count, sort?.Name ?? sortName, out var paging, out var pagingErrors))
        {
            errors.Merge(pagingErrors);
        }

        if (!TryParseIncludes(Include, ArticleIncludes.Sections | ArticleIncludes.PullQuotes, out var includes, out var includeError))
        {
            errors["include"] = [includeError!];
        }

        if (PublishedAfter is { } after && PublishedBefore is { } before && after >= before)
        {
            errors["publishedBefore"] = ["'publishedBefore' must be later than 'publishedAfter'."];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        query = new ArticleListQuery(
            status is { } s ? ArticleStatuses.ToText(s) : null,
            search,
            string.IsNullOrEmpty(Byline) ? null : Byline,
            PublishedAfter,
            PublishedBefore,
            sort!,
            paging,
            includes);
        return true;
    }

    /// <summary>Parses "sections,pullQuotes,comments" (any order, any case) into flags, refusing what is not allowed here.</summary>
    internal static bool TryParseIncludes(string? text, ArticleIncludes allowed, out ArticleIncludes includes, out string? error)
    {
        includes = ArticleIncludes.None;
        error = null;
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var flag = part.ToLowerInvariant() switch
            {
                "sections" => ArticleIncludes.Sections,
                "pullquotes" => ArticleIncludes.PullQuotes,
                "comments" => ArticleIncludes.Comments,
                _ => ArticleIncludes.None,
            };
            if (flag == ArticleIncludes.None || !allowed.HasFlag(flag))
            {
                var names = new[] { ("sections", ArticleIncludes.Sections), ("pullQuotes", ArticleIncludes.PullQuotes), ("comments", ArticleIncludes.Comments) }
                    .Where(n => allowed.HasFlag(n.Item2)).Select(n => n.Item1);
                error = $"'{part}' can't be included here; 'include' takes: {string.Join(", ", names)}.";
                return false;
            }

            includes |= flag;
        }

        return true;
    }
}
