using Cms.Api.Comments;
using Cms.Api.Data;


namespace Cms.Api.Transfer;

/// <summary>
/// What a valid comment's row needs that does not depend on the database: worked out by an import's read-ahead thread
/// (see Importer), because the writer's thread is the one an import waits for.
/// </summary>
internal readonly record struct CommentFacts(string CreatedAt, long BodyHash)
{
    public static CommentFacts Of(CommentDocument comment, DateTimeOffset now) =>
        new(Timestamps.ToText(comment.CreatedAt ?? now), CommentText.Fingerprint(comment.Body!));
}

/// <summary>
/// A new article's section text as the search index takes it, built from the document the way the articles_search view
/// builds it from the rows: headings without the missing ones, and bodies, each joined by newlines. An import builds it
/// on its read-ahead thread, like <see cref="CommentFacts"/>.
/// </summary>
internal readonly record struct SectionText(string Headings, string Bodies)
{
    public static SectionText Of(ArticleDocument document)
    {
        var sections = document.Sections ?? [];
        return new(
            string.Join('\n', sections.Where(s => s.Heading is not null).Select(s => s.Heading)),
            string.Join('\n', sections.Select(s => s.Body)));
    }
}

/// <summary>
/// What makes two comments of one article the same (name, body, createdAt), hashed from the body's fingerprint and the
/// timestamp, which the read-ahead already worked out, instead of hashing the body text itself for every comment.
/// </summary>
internal readonly record struct CommentKey(string? Name, string? Body, string CreatedAt, long BodyHash)
{
    public bool Equals(CommentKey other) =>
        BodyHash == other.BodyHash && CreatedAt == other.CreatedAt && Name == other.Name && Body == other.Body;

    public override int GetHashCode()
    {
        var hash = BodyHash;
        foreach (var c in CreatedAt)
        {
            hash = (hash ^ c) * 1099511628211; // FNV-1a: many comments share a body ("+1"), few share a time as well
        }

        return (int)hash ^ (int)(hash >> 32);
    }
}
