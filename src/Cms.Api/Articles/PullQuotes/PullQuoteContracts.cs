using System.ComponentModel.DataAnnotations;
using Cms.Api.Http;
namespace Cms.Api.Articles.PullQuotes;

/// <summary>A quotation set in large type inside an article.</summary>
public sealed record PullQuoteResponse(
    long Id,
    long ArticleId,
    long? SectionId,
    string Text,
    string? Attribution,
    int? AfterParagraph,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version) : IVersioned;

/// <summary>What a pull-quote request and a pull-quote in a whole-article document share.</summary>
public interface IPullQuoteText
{
    string? Text { get; }
    string? Attribution { get; }
    int? AfterParagraph { get; }
}

/// <summary>The writable fields of a pull-quote.</summary>
public sealed record PullQuoteRequest : IPullQuoteText
{
    /// <summary>The quotation, required, at most 500 characters.</summary>
    [Required]
    public string? Text { get; init; }

    /// <summary>Who said it, at most 200 characters.</summary>
    public string? Attribution { get; init; }

    /// <summary>The section it is set in; must be a section of the same article.</summary>
    public long? SectionId { get; init; }

    /// <summary>How many paragraphs of that section come before the quote (0 = before the first). Needs sectionId.</summary>
    public int? AfterParagraph { get; init; }
}
