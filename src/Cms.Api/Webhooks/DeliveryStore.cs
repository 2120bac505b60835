using System.Text.Json;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Webhooks;

/// <summary>A hook's deliveries, newest first, each with its attempts; and a delivery sent again on request.</summary>
internal sealed class DeliveryStore(CmsDatabase database, TimeProvider clock)
{
    public const string Sort = "deliveries";

    private const string Columns = """
        id AS Id, message_id AS MessageId, event_type AS EventType, state AS State, attempts AS Attempts, created_at AS CreatedAt,
        next_attempt_at AS NextAttemptAt, finished_at AS FinishedAt, payload AS Payload
        """;

    private const string SelectPage = $"""
        SELECT {Columns} FROM webhook_deliveries WHERE webhook_id = @WebhookId AND id < @Before ORDER BY id DESC LIMIT @Fetch
        """;

    private const string SelectOne = $"SELECT {Columns} FROM webhook_deliveries WHERE id = @Id";

    private const string SelectAttempts = """
        SELECT delivery_id AS DeliveryId, attempted_at AS AttemptedAt, status_code AS StatusCode, latency_ms AS LatencyMs,
               response AS Response, error AS Error
        FROM webhook_attempts WHERE delivery_id IN @Ids ORDER BY id
        """;

    private const string Resend = """
        UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = @Now, expires_at = @ExpiresAt, leased_until = NULL, finished_at = NULL
        WHERE id = @Id AND webhook_id = @WebhookId
        """;

    public async Task<List<DeliveryResponse>> ListAsync(long webhookId, ListParameters paging, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            SelectPage, new { WebhookId = webhookId, Before = paging.After?.Id ?? long.MaxValue, Fetch = paging.FetchCount }, cancellationToken: cancellationToken))).AsList();
        var (sql, parameters) = IdLists.Expand(SelectAttempts, rows.ConvertAll(r => r.Id));
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))
            .ToLookup(a => a.DeliveryId);
        return rows.ConvertAll(r => r.ToResponse(attempts[r.Id]));
    }

    /// <summary>Sends the delivery again (as soon as its hook is enabled and earlier deliveries of its article are through), retried for another window.</summary>
    public async Task<DeliveryResponse?> ResendAsync(long webhookId, long id, CancellationToken cancellationToken)
    {
        var now = Timestamps.Now(clock);
        await using var write = await database.BeginWriteAsync(cancellationToken);
        if (await write.ExecuteAsync(Resend, new
            {
                Id = id, WebhookId = webhookId, Now = Timestamps.ToText(now), ExpiresAt = Timestamps.ToText(now + WebhookOutbox.RetryWindow),
            }) == 0)
        {
            return null;
        }

        var row = await write.SingleAsync<DeliveryRow>(SelectOne, new { Id = id });
        var (sql, parameters) = IdLists.Expand(SelectAttempts, [id]);
        var attempts = await write.ListAsync<AttemptRow>(sql, parameters);
        write.Changed(WebhookOutbox.DeliveriesKey);
        await write.CommitAsync();
        return row.ToResponse(attempts);
    }

    private sealed class DeliveryRow
    {
        public long Id { get; init; }
        public string MessageId { get; init; } = "";
        public string EventType { get; init; } = "";
        public string State { get; init; } = "";
        public long Attempts { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset NextAttemptAt { get; init; }
        public DateTimeOffset? FinishedAt { get; init; }
        public string Payload { get; init; } = "";

        public DeliveryResponse ToResponse(IEnumerable<AttemptRow> attempts) => new(
            Id, MessageId, EventType, State, (int)Attempts, CreatedAt, State == DeliveryStates.Pending ? NextAttemptAt : null, FinishedAt,
            JsonSerializer.Deserialize<JsonElement>(Payload),
            attempts.Select(a => new AttemptResponse(a.AttemptedAt, (int?)a.StatusCode, a.LatencyMs, a.Response, a.Error)).ToList());
    }

    private sealed class AttemptRow
    {
        public long DeliveryId { get; init; }
        public DateTimeOffset AttemptedAt { get; init; }
        public long? StatusCode { get; init; }
        public long LatencyMs { get; init; }
        public string? Response { get; init; }
        public string? Error { get; init; }
    }
}
