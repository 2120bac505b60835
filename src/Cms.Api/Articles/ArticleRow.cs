using Cms.Api.Data;
using Cms.Api.Http;
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

/// <summary>An article with the parts a page needs, read in one round trip (comments: up to one more than it shows).</summary>
internal sealed record ArticlePage(
    ArticleRow Article,
    IReadOnlyList<SectionRow>? Sections,
    IReadOnlyList<PullQuoteRow>? PullQuotes,
    IReadOnlyList<CommentRow>? Comments,
    int CommentLimit)
{
    /// <summary>The page as a response: with a key, every comment and its e-mail address; without, what the public sees.</summary>
    public ArticleResponse ToResponse(bool keyed)
    {
        var comments = Comments?.Take(CommentLimit).ToList();
        return Article.ToResponse() with
        {
            Sections = Sections?.Select(s => s.ToResponse()).ToList(),
            PullQuotes = PullQuotes?.Select(q => q.ToResponse()).ToList(),
            Comments = comments?.Select(c => c.ToResponse(withEmail: keyed)).ToList(),
            CommentsNextCursor = Comments?.Count > CommentLimit
                ? new Cursor(CommentEndpoints.CommentSort, Timestamps.ToText(comments![^1].CreatedAt), comments[^1].Id).Encode()
                : null,
        };
    }
}

[Flags]
internal enum ArticleIncludes
{
    None = 0,
    Sections = 1,
    PullQuotes = 2,
    Comments = 4,
    All = Sections | PullQuotes | Comments,
}
