using System.ComponentModel.DataAnnotations;
namespace Cms.Api.Articles;

public enum ArticleStatus
{
    Draft,
    Published,
    Archived,
}

/// <summary>An article as clients see it.</summary>
public sealed record ArticleResponse(
    long Id,
    string Slug,
    string Title,
    string? Standfirst,
    string? Byline,
    ArticleStatus Status,
    DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>
/// The writable fields of an article, for POST and PUT (and the document a PATCH is merged into).
/// On PUT, an omitted <c>slug</c> or <c>status</c> keeps its current value, so a replace never renames
/// or unpublishes by accident; omitted <c>standfirst</c> and <c>byline</c> are cleared.
/// </summary>
public sealed record ArticleRequest
{
    /// <summary>URL name: lowercase a-z, 0-9 and hyphens, unique, not all digits. Derived from the title when omitted.</summary>
    public string? Slug { get; init; }

    /// <summary>Headline, required, at most 300 characters.</summary>
    [Required]
    public string? Title { get; init; }

    /// <summary>The summary under the headline, at most 1000 characters.</summary>
    public string? Standfirst { get; init; }

    /// <summary>Author credit, at most 200 characters.</summary>
    public string? Byline { get; init; }

    /// <summary>draft (default), published or archived. Publishing for the first time sets publishedAt.</summary>
    public ArticleStatus? Status { get; init; }
}
