using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cms.Api.Comments;
using Cms.Api.Http;
using Cms.Api.Revisions;
using Cms.Api.Transfer;

namespace Cms.Api.Webhooks;

/// <summary>The events a hook can ask for: those the features emit (<see cref="Data.OutboxEvent"/>).</summary>
public static class WebhookEvents
{
    /// <summary>Asks for every event, including any added later.</summary>
    public const string Everything = "*";

    public static readonly string[] All =
    [
        ArticleEvents.Created, ArticleEvents.Updated, ArticleEvents.Published, ArticleEvents.Unpublished, ArticleEvents.Deleted,
        CommentEvents.Created, CommentEvents.Approved, CommentEvents.Rejected, Importer.Completed,
    ];
}

public sealed record WebhookRequest
{
    /// <summary>Where events are POSTed: an absolute http or https URL. Redirects are not followed.</summary>
    [Required]
    public string? Url { get; init; }

    /// <summary>The events to send (see the list in README), or <c>["*"]</c> for all.</summary>
    [Required]
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Default true. Enabling a hook that was disabled after failing clears its <c>disabledReason</c>.</summary>
    public bool? Enabled { get; init; }

    public string? Description { get; init; }
}

/// <summary>A hook as listed: its signing secret only in the answer that creates or rotates it.</summary>
public sealed record WebhookResponse(
    long Id, string Url, IReadOnlyList<string> Events, bool Enabled, string? Description, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version) : IVersioned
{
    /// <summary>The signing secret (<c>whsec_…</c>, as Standard Webhooks libraries take it). Shown once: store it now.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }
}

/// <summary>One event sent to one hook, with every attempt to send it.</summary>
public sealed record DeliveryResponse(
    long Id, string MessageId, string EventType, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? FinishedAt, JsonElement Payload, IReadOnlyList<AttemptResponse> AttemptLog);

/// <summary>One try: the receiver's status (null when it could not be reached), how long it took, what it answered.</summary>
public sealed record AttemptResponse(DateTimeOffset AttemptedAt, int? StatusCode, long LatencyMs, string? Response, string? Error);

/// <summary>A delivery's states.</summary>
public static class DeliveryStates
{
    /// <summary>Waiting to be sent, or to be retried.</summary>
    public const string Pending = "pending";

    public const string Delivered = "delivered";

    /// <summary>Retried for the whole retry window without success; the hook was disabled.</summary>
    public const string Failed = "failed";
}
