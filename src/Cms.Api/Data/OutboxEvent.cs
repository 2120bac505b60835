namespace Cms.Api.Data;

/// <summary>
/// A change announced to webhooks (<c>article.published</c>, <c>comment.created</c>…), emitted by the write that makes
/// it and stored with it in the same transaction (the outbox): one that rolls back announces nothing, one that commits is
/// delivered even if the process dies at once. Events with the same <paramref name="OrderingKey"/> are delivered to
/// each hook in the order they were emitted. <paramref name="Data"/> is serialized as the payload's <c>data</c>.
/// </summary>
public sealed record OutboxEvent(string Type, string OrderingKey, object Data);
