using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Cms.Api.Articles;
using Cms.Api.Comments;

namespace Cms.Api.Transfer;

/// <summary>
/// A whole article as one document, keyed by slug: the unit of upsert, import and export. Sections are in
/// order; a pull-quote names its section by position (1-based), since ids differ between databases.
/// </summary>
public sealed record ArticleDocument : ArticleFields
{
    /// <summary>Kept as given (e.g. when moving content between environments); otherwise set when first published.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    public IReadOnlyList<SectionDocument>? Sections { get; init; }

    public IReadOnlyList<PullQuoteDocument>? PullQuotes { get; init; }
}

public sealed record SectionDocument : Cms.Api.Articles.Sections.ISectionText
{
    public string? Heading { get; init; }

    [Required]
    public string? Body { get; init; }
}

public sealed record PullQuoteDocument : Cms.Api.Articles.PullQuotes.IPullQuoteText
{
    [Required]
    public string? Text { get; init; }

    public string? Attribution { get; init; }

    /// <summary>The position (1-based) of the section it is set in, within this document's sections.</summary>
    public int? Section { get; init; }

    /// <summary>How many paragraphs of that section come before it.</summary>
    public int? AfterParagraph { get; init; }
}

/// <summary>A comment in a bundle: its article by slug, its parent by index in the bundle's comments.</summary>
public sealed record CommentDocument : ICommentFields
{
    [Required]
    public string? Article { get; init; }

    /// <summary>The index (0-based) of the comment this replies to, earlier in the same bundle.</summary>
    public int? Parent { get; init; }

    [Required]
    public string? Name { get; init; }

    /// <summary>Exported only to admin keys.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    public string? Website { get; init; }

    [Required]
    public string? Body { get; init; }

    /// <summary>Kept as given (default pending).</summary>
    public CommentStatus? Status { get; init; }

    /// <summary>Kept as given (default: now).</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>What POST /import takes and GET /export gives.</summary>
public sealed record ContentBundle
{
    public IReadOnlyList<ArticleDocument>? Articles { get; init; }

    public IReadOnlyList<CommentDocument>? Comments { get; init; }
}

/// <summary>One NDJSON line: an article document, or <c>{"comment":{…}}</c>.</summary>
public sealed record NdjsonCommentLine(CommentDocument Comment);

public sealed record ChangeCounts(int Created, int Updated, int Unchanged);

/// <summary>What an import did (or, with dryRun, would do).</summary>
public sealed record ImportResult(bool DryRun, ChangeCounts Articles, ChangeCounts Comments);

/// <summary>PUT /articles/by-slug/{slug}: the article as stored, and whether the request changed anything.</summary>
public sealed record UpsertResponse(bool Unchanged, ArticleResponse Article);
