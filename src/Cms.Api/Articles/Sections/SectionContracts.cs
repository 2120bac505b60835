using System.ComponentModel.DataAnnotations;
using Cms.Api.Http;
namespace Cms.Api.Articles.Sections;

/// <summary>One sub-headed part of an article's body.</summary>
public sealed record SectionResponse(
    long Id,
    long ArticleId,
    int Position,
    string? Heading,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version) : IVersioned;

/// <summary>A section's text: what a section request and a section in a whole-article document share.</summary>
public interface ISectionText
{
    string? Heading { get; }
    string? Body { get; }
}

/// <summary>The writable fields of a section.</summary>
public sealed record SectionRequest : ISectionText
{
    /// <summary>1-based place in the article. On create, omitted = append; inserting shifts the sections after it down. On PUT, omitted = stay.</summary>
    public int? Position { get; init; }

    /// <summary>Subheading, at most 200 characters; often absent on the first section.</summary>
    public string? Heading { get; init; }

    /// <summary>The text, required, at most 200,000 characters; paragraphs are separated by a blank line.</summary>
    [Required]
    public string? Body { get; init; }
}

/// <summary>Every section id of the article, each once, in the new order.</summary>
public sealed record SectionOrderRequest
{
    public IReadOnlyList<long>? SectionIds { get; init; }
}
