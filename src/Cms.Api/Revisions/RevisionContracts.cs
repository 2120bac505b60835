using Cms.Api.Transfer;

namespace Cms.Api.Revisions;

/// <summary>A revision as listed. <c>keyName</c> is the name of the key that made the change (null: the scheduled publisher).</summary>
public sealed record RevisionSummary(
    long Number, long Version, DateTimeOffset CreatedAt, string? KeyName, string? Slug, string? Title, string? Status, DateTimeOffset? DeletedAt);

/// <summary>A revision with the whole document as it was after the change (as upsert and import take it).</summary>
public sealed record RevisionResponse(
    long ArticleId, long Number, long Version, DateTimeOffset CreatedAt, string? KeyName, DateTimeOffset? DeletedAt, ArticleDocument Document);

/// <summary>
/// What changed from revision <c>from</c> to revision <c>to</c>: the article's fields, and its sections and pull-quotes
/// by position. A changed text comes with a line diff.
/// </summary>
public sealed record RevisionDiff(long? From, long To, IReadOnlyList<FieldChange> Fields, IReadOnlyList<PartChange> Sections, IReadOnlyList<PartChange> PullQuotes);

/// <summary>A field that differs, with its value before and after (as JSON writes it).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// A section or pull-quote at <c>position</c> (1-based) that was <c>added</c>, <c>removed</c> or <c>changed</c>: its
/// fields that differ, and for its text (a section's body, a pull-quote's text) the lines: <c>" "</c> kept, <c>"-"</c>
/// removed, <c>"+"</c> added.
/// </summary>
public sealed record PartChange(int Position, string Change, IReadOnlyList<FieldChange> Fields, IReadOnlyList<DiffLine> Lines);

public sealed record DiffLine(string Op, string Text);
