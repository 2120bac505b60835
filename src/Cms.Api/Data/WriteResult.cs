namespace Cms.Api.Data;

internal enum WriteOutcome
{
    /// <summary>Written and committed.</summary>
    Saved,

    /// <summary>The request matched what is stored: nothing written, the version kept.</summary>
    Unchanged,

    NotFound,

    /// <summary>The request cannot apply to the stored data (a position past the end, a section of another article).</summary>
    Invalid,

    /// <summary>It would clash with other data (a slug in use).</summary>
    Conflict,

    /// <summary>If-Match named another version; <see cref="WriteResult{TRow}.Row"/> is the current one.</summary>
    Stale,

    /// <summary>The same sender wrote moments ago; <see cref="WriteResult{TRow}.RetryAfter"/> says when it may again.</summary>
    TooSoon,
}

/// <summary>
/// What a store write did, the one result type of every store's writes: the row as saved (or as it is, when unchanged or
/// stale), or why nothing was written. <see cref="Errors"/> is keyed by JSON field, like a validation problem.
/// </summary>
internal sealed record WriteResult<TRow>(
    WriteOutcome Outcome, TRow? Row = null, IDictionary<string, string[]>? Errors = null, string? Message = null, TimeSpan RetryAfter = default)
    where TRow : class
{
    public static readonly WriteResult<TRow> NotFound = new(WriteOutcome.NotFound);

    public bool Succeeded => Outcome is WriteOutcome.Saved or WriteOutcome.Unchanged;

    public static WriteResult<TRow> Saved(TRow row) => new(WriteOutcome.Saved, row);

    public static WriteResult<TRow> Unchanged(TRow row) => new(WriteOutcome.Unchanged, row);

    public static WriteResult<TRow> Stale(TRow current) => new(WriteOutcome.Stale, current);

    public static WriteResult<TRow> Invalid(string field, string message) =>
        new(WriteOutcome.Invalid, Errors: new Dictionary<string, string[]> { [field] = [message] }, Message: message);

    public static WriteResult<TRow> Invalid(IDictionary<string, string[]> errors) => new(WriteOutcome.Invalid, Errors: errors);

    public static WriteResult<TRow> Conflict(string message) => new(WriteOutcome.Conflict, Message: message);

    public static WriteResult<TRow> TooSoon(TimeSpan retryAfter, string message) => new(WriteOutcome.TooSoon, Message: message, RetryAfter: retryAfter);
}

/// <summary>A change a caller proposes: the new fields, or why they are not valid (keyed by JSON field).</summary>
public readonly record struct Proposed<T>(T? Value, IDictionary<string, string[]>? Errors)
    where T : class
{
    public static implicit operator Proposed<T>(T value) => new(value, null);
}
