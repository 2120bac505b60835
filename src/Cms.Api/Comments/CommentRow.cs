namespace Cms.Api.Comments;

internal sealed class CommentRow
{
    public long Id { get; init; }
    public long ArticleId { get; init; }
    public long? ParentId { get; init; }
    public string Name { get; init; } = "";
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string Body { get; init; } = "";
    public string Status { get; init; } = "pending";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }
    public string? ModeratedBy { get; init; }
    public DateTimeOffset? ModeratedAt { get; init; }
    public long ReplyCount { get; init; }
    public string ArticleStatus { get; init; } = "";

    public bool IsApproved => Status == "approved";

    /// <summary>The e-mail address and the moderation record are included only for callers with a key.</summary>
    public CommentResponse ToResponse(bool withEmail) => new(
        Id, ArticleId, ParentId, Name, withEmail ? Email : null, Website, Body,
        Enum.Parse<CommentStatus>(Status, ignoreCase: true), CreatedAt, UpdatedAt, Version)
    {
        ReplyCount = ReplyCount,
        ModeratedBy = withEmail ? ModeratedBy : null,
        ModeratedAt = withEmail ? ModeratedAt : null,
    };

    public CommentUpdateRequest ToRequest() => new()
    {
        Name = Name,
        Email = Email,
        Website = Website,
        Body = Body,
        Status = Enum.Parse<CommentStatus>(Status, ignoreCase: true),
    };
}
