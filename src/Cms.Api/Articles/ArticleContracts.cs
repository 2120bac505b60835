using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Comments;
using Cms.Api.Http;

namespace Cms.Api.Articles;

public enum ArticleStatus
{
    Draft,
    Scheduled,
    Published,
    Archived,
}

/// <summary>
/// An article as clients see it. <c>sections</c>, <c>pullQuotes</c> and <c>comments</c> appear only when asked
/// for with <c>include</c>; <c>snippet</c> only on full-text search hits.
/// </summary>
public sealed record ArticleResponse(
    long Id,
    string Slug,
    string Title,
    string? Standfirst,
    string? Byline,
    ArticleStatus Status,
    DateTimeOffset? PublishAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version) : IVersioned
{
    /// <summary>Whether the comment form is open (posting to a closed article is 403).</summary>
    public bool CommentsOpen { get; init; } = true;

    /// <summary>The body's sections in order (with include=sections).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SectionResponse>? Sections { get; init; }

    /// <summary>The pull-quotes (with include=pullQuotes).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PullQuoteResponse>? PullQuotes { get; init; }

    /// <summary>The first comments, oldest first; approved only without a key (with include=comments).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CommentResponse>? Comments { get; init; }

    /// <summary>When there are more comments than included: the cursor for GET /articles/{article}/comments.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CommentsNextCursor { get; init; }

    /// <summary>On search hits: the best-matching passage, HTML-escaped, with matches in &lt;mark&gt;.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Snippet { get; init; }
}

/// <summary>The writable fields of an article: what an article request and a whole-article document share.</summary>
public abstract record ArticleFields
{
    /// <summary>
    /// URL name: lowercase a-z, 0-9 and hyphens, unique, not all digits. In a request, derived from the title when omitted;
    /// in a document, its natural key (required in imports; in PUT /articles/by-slug/{slug} the path gives it).
    /// </summary>
    public string? Slug { get; init; }

    /// <summary>Headline, required, at most 300 characters.</summary>
    [Required]
    public string? Title { get; init; }

    /// <summary>The summary under the headline, at most 1000 characters.</summary>
    public string? Standfirst { get; init; }

    /// <summary>Author credit, at most 200 characters.</summary>
    public string? Byline { get; init; }

    /// <summary>draft (default), scheduled (needs publishAt), published or archived. Publishing the first time sets publishedAt.</summary>
    public ArticleStatus? Status { get; init; }

    /// <summary>
    /// With status scheduled: when it goes live. A request needs a future time; in a document a past time publishes it at
    /// once. Ignored (and cleared) with any other status.
    /// </summary>
    public DateTimeOffset? PublishAt { get; init; }

    /// <summary>Whether readers may comment (default true; on PUT, omitted keeps the current value).</summary>
    public bool? CommentsOpen { get; init; }
}

/// <summary>
/// The writable fields of an article, for POST and PUT (and the document a PATCH is merged into).
/// On PUT, an omitted <c>slug</c> or <c>status</c> keeps its current value, so a replace never renames
/// or unpublishes by accident; omitted <c>standfirst</c> and <c>byline</c> are cleared.
/// </summary>
public sealed record ArticleRequest : ArticleFields;
