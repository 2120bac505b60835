using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;

namespace Cms.Api.Comments;

public enum CommentStatus
{
    Pending,
    Approved,
    Spam,
    Rejected,
}

/// <summary>
/// A reader's comment. <c>email</c> appears only in responses to requests with an API key; it is never
/// sent to the public (the property is left out entirely).
/// </summary>
public sealed record CommentResponse(
    long Id,
    long ArticleId,
    long? ParentId,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    string? Website,
    string Body,
    CommentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version) : IVersioned
{
    /// <summary>The body as HTML that is safe to insert into a page: escaped, paragraphs and line breaks kept, URLs as nofollow links.</summary>
    public string BodyHtml => CommentText.ToHtml(Body);

    /// <summary>How many approved replies it has.</summary>
    public long ReplyCount { get; init; }

    /// <summary>With include=replies: its approved replies, oldest first (each with its own replies).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CommentResponse>? Replies { get; init; }

    /// <summary>Who (the key's name) last changed the status; with a key only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ModeratedBy { get; init; }

    /// <summary>When the status last changed; with a key only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ModeratedAt { get; init; }
}

public enum ModerationAction
{
    Approve,
    Reject,
    Spam,
    Restore,
}

/// <summary>Moderate many comments at once: all of them, or none if any id is unknown.</summary>
public sealed record ModerationRequest
{
    [System.ComponentModel.DataAnnotations.Required]
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>approve, reject, spam, or restore (back to pending).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public ModerationAction? Action { get; init; }
}

/// <summary>The fields a reader fills in; shared by the comment form and an editor's edit.</summary>
public interface ICommentFields
{
    string? Name { get; }
    string? Email { get; }
    string? Website { get; }
    string? Body { get; }
}

/// <summary>The comment form. Needs no key.</summary>
public sealed record CommentRequest : ICommentFields
{
    /// <summary>The comment this replies to; must be an approved comment on the same article.</summary>
    public long? ParentId { get; init; }

    /// <summary>Required, at most 100 characters.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>Optional, a valid address of at most 254 characters. Stored for moderators, never shown publicly.</summary>
    public string? Email { get; init; }

    /// <summary>Optional http or https URL, at most 200 characters.</summary>
    public string? Website { get; init; }

    /// <summary>The comment, required, at most 5000 characters.</summary>
    [Required]
    public string? Body { get; init; }

    /// <summary>
    /// Honeypot: render it as a hidden field that people leave empty. A filled one is accepted (202) but stored as
    /// spam and never published.
    /// </summary>
    public string? Website2 { get; init; }
}

/// <summary>What an editor may change on a comment (PATCH, JSON Merge Patch).</summary>
public sealed record CommentUpdateRequest : ICommentFields
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string? Body { get; init; }

    /// <summary>pending, approved, spam or rejected. Only approved comments are shown to the public.</summary>
    public CommentStatus? Status { get; init; }
}

/// <summary>The answer to a comment that was received but will not be shown (202).</summary>
public sealed record CommentReceived(string Status);

/// <summary>The events comments emit; "rejected" covers spam too (<c>data.status</c> says which).</summary>
public static class CommentEvents
{
    public const string Created = "comment.created";
    public const string Approved = "comment.approved";
    public const string Rejected = "comment.rejected";

    /// <summary>An event about a comment, ordered with its article's events.</summary>
    internal static OutboxEvent Of(string type, long id, long articleId, long? parentId, string status) =>
        new(type, SurrogateKeys.Article(articleId), new CommentEventData(
            id, articleId, parentId, status, [SurrogateKeys.Comment(id), SurrogateKeys.ArticleComments(articleId)]));

    /// <summary>The event of a moderation to <paramref name="status"/>, or null when pending (nothing to announce).</summary>
    internal static string? Moderated(CommentStatus status) => status switch
    {
        CommentStatus.Approved => Approved,
        CommentStatus.Rejected or CommentStatus.Spam => Rejected,
        _ => null,
    };
}

/// <summary>What a comment event's <c>data</c> says: never the commenter's name, e-mail or text.</summary>
internal sealed record CommentEventData(long Id, long ArticleId, long? ParentId, string Status, IReadOnlyList<string> SurrogateKeys);

