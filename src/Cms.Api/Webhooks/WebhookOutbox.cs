using System.Text.Json;
using Cms.Api.Data;
using Cms.Api.Http;

namespace Cms.Api.Webhooks;

/// <summary>
/// The outbox: the last thing every write does before it commits is to turn the events it emitted
/// (<see cref="WriteTransaction.Emit"/>) into one pending delivery per enabled hook that wants each, in its own
/// transaction. A change that rolls back leaves none; one that commits has them stored, whatever happens to the process
/// next. The dispatchers (every node's) hear of them through the write's announcement (<see cref="DeliveriesKey"/>).
/// </summary>
internal sealed class WebhookOutbox
{
    /// <summary>Named by a write that stored deliveries: it wakes the dispatchers, on every node.</summary>
    public const string DeliveriesKey = "webhook-deliveries";

    /// <summary>How long a delivery is retried before it fails and its hook is disabled.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromHours(24);

    private const string SelectEnabled = "SELECT id AS Id, events AS Events FROM webhooks WHERE enabled = @Enabled";

    internal const string Insert = """
        INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, ordering_key, payload, state, created_at, next_attempt_at, expires_at)
        VALUES (@WebhookId, @MessageId, @EventType, @OrderingKey, @Payload, 'pending', @Now, @Now, @ExpiresAt)
        """;

    private readonly JsonSerializerOptions json;
    private readonly TimeProvider clock;

    public WebhookOutbox(CmsDatabase database, ETags etags, TimeProvider clock)
    {
        json = etags.SerializerOptions;
        this.clock = clock;
        database.BeforeEveryCommit(WriteAsync, last: true);
    }

    private async Task WriteAsync(WriteTransaction write)
    {
        if (write.Events.Count == 0)
        {
            return;
        }

        var hooks = await write.ListAsync<WebhookRow>(SelectEnabled, new { Enabled = true });
        if (hooks.Count == 0)
        {
            return;
        }

        var now = Timestamps.Now(clock);
        var stored = false;
        foreach (var outboxEvent in write.Events)
        {
            var wanting = hooks.Where(h => h.Wants(outboxEvent.Type)).ToList();
            if (wanting.Count == 0)
            {
                continue;
            }

            // One message id per event: a receiver that hears it twice (a retry, or two of its hooks) knows it is the same.
            var messageId = "msg_" + Guid.CreateVersion7().ToString("N");
            var payload = JsonSerializer.Serialize(new WebhookMessage(messageId, outboxEvent.Type, now, outboxEvent.Data), json);
            foreach (var hook in wanting)
            {
                await write.ExecuteAsync(Insert, new
                {
                    WebhookId = hook.Id, MessageId = messageId, EventType = outboxEvent.Type, outboxEvent.OrderingKey, Payload = payload,
                    Now = Timestamps.ToText(now), ExpiresAt = Timestamps.ToText(now + RetryWindow),
                });
            }

            stored = true;
        }

        if (stored)
        {
            write.Changed(DeliveriesKey);
        }
    }

    /// <summary>What a hook receives: the Standard Webhooks payload shape.</summary>
    private sealed record WebhookMessage(string Id, string Type, DateTimeOffset Timestamp, object Data);
}
