using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Comments;

namespace Cms.Api.Articles;

internal sealed class ArticleRow
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Standfirst { get; init; }
    public string? Byline { get; init; }
    public string Status { get; init; } = "draft";
    public DateTimeOffset? PublishAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }
    public bool CommentsOpen { get; init; } = true;

    /// <summary>Set on full-text search results: bm25 score (lower is better).</summary>
    public double? Score { get; init; }

    /// <summary>Set on full-text search results: the matching passage, with private-use characters around matches.</summary>
    public string? Snippet { get; init; }

    /// <summary>Set on list pages: the value of the list's sort key, carried by the next cursor.</summary>
    public object? SortKey { get; init; }

    public bool IsPublished => Status == ArticleStatuses.Published;

    public ArticleResponse ToResponse() => new(
        Id, Slug, Title, Standfirst, Byline, ArticleStatuses.Parse(Status), PublishAt, PublishedAt, CreatedAt, UpdatedAt, Version)
    {
        CommentsOpen = CommentsOpen,
    };

    public ArticleRequest ToRequest() => new()
    {
        Slug = Slug,
        Title = Title,
        Standfirst = Standfirst,
        Byline = Byline,
        Status = ArticleStatuses.Parse(Status),
        PublishAt = PublishAt,
        CommentsOpen = CommentsOpen,
    };
}

internal static class ArticleStatuses
{
    public const string Published = "published";
    public const string Scheduled = "scheduled";

    public static string ToText(ArticleStatus status) => status.ToString().ToLowerInvariant();

    public static ArticleStatus Parse(string text) => Enum.Parse<ArticleStatus>(text, ignoreCase: true);
}

/// <summary>An article with the parts a page needs, read in one round trip.</summary>
internal sealed record ArticlePage(
    ArticleRow Article,
    IReadOnlyList<SectionRow>? Sections,
    IReadOnlyList<PullQuoteRow>? PullQuotes,
    IReadOnlyList<CommentRow>? Comments);

[Flags]
internal enum ArticleIncludes
{
    None = 0,
    Sections = 1,
    PullQuotes = 2,
    Comments = 4,
}
