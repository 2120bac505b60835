using System.Security.Cryptography;
using Cms.Api.Data;

namespace Cms.Api.Webhooks;

/// <summary>Hooks in the database. A hook's events are stored space-separated; its secret in clear, since it signs.</summary>
internal sealed class WebhookStore(CmsDatabase database, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, url AS Url, events AS Events, enabled AS Enabled, secret AS Secret, description AS Description,
        disabled_reason AS DisabledReason, created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version
        """;

    private const string SelectById = $"SELECT {Columns} FROM webhooks WHERE id = @Id";
    private const string SelectAll = $"SELECT {Columns} FROM webhooks ORDER BY id";

    private const string Insert = """
        INSERT INTO webhooks (url, events, enabled, secret, description, created_at, updated_at)
        VALUES (@Url, @Events, @Enabled, @Secret, @Description, @Now, @Now)
        RETURNING id
        """;

    private const string Update = """
        UPDATE webhooks SET url = @Url, events = @Events, enabled = @Enabled, description = @Description,
            disabled_reason = CASE WHEN @Enabled THEN NULL ELSE disabled_reason END, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string Rotate = "UPDATE webhooks SET secret = @Secret, updated_at = @Now, version = version + 1 WHERE id = @Id";
    private const string Delete = "DELETE FROM webhooks WHERE id = @Id";

    public async Task<WebhookResponse> CreateAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var secret = NewSecret();
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var id = await write.ScalarAsync<long>(Insert, new
        {
            request.Url, Events = EventsText(request.Events!), Enabled = request.Enabled ?? true, Secret = secret, request.Description, Now = Timestamps.Now(clock),
        });
        var row = await write.SingleAsync<WebhookRow>(SelectById, new { Id = id });
        await write.CommitAsync();
        return row.ToResponse() with { Secret = secret };
    }

    public Task<List<WebhookRow>> ListAsync(CancellationToken cancellationToken) => database.ListAsync<WebhookRow>(SelectAll, null, cancellationToken);

    public Task<WebhookRow?> FindAsync(long id, CancellationToken cancellationToken) =>
        database.SingleOrDefaultAsync<WebhookRow>(SelectById, new { Id = id }, cancellationToken);

    public Task<WriteResult<WebhookRow>> UpdateAsync(
        long id, Func<WebhookRow, Proposed<WebhookRequest>> change, Func<WebhookRow, bool> precondition, CancellationToken cancellationToken) =>
        database.EditRowAsync<WebhookRow, WebhookRequest>(SelectById, id, precondition, change, async (write, current, request) =>
        {
            if (request.Url == current.Url && request.Events!.SequenceEqual(current.EventList) && (request.Enabled ?? true) == current.Enabled
                && request.Description == current.Description)
            {
                return WriteResult<WebhookRow>.Unchanged(current);
            }

            await write.ExecuteAsync(Update, new
            {
                Id = id, request.Url, Events = EventsText(request.Events!), Enabled = request.Enabled ?? true, request.Description, Now = Timestamps.Now(clock),
            });
            return WriteResult<WebhookRow>.Saved(await write.SingleAsync<WebhookRow>(SelectById, new { Id = id }));
        }, cancellationToken);

    /// <summary>A new secret; deliveries from now on are signed with it (one still being sent keeps the old signature).</summary>
    public async Task<WriteResult<WebhookRow>> RotateSecretAsync(long id, Func<WebhookRow, bool> precondition, CancellationToken cancellationToken)
    {
        var secret = NewSecret();
        return await database.ChangeRowAsync<WebhookRow>(SelectById, id, precondition, async (write, _) =>
        {
            await write.ExecuteAsync(Rotate, new { Id = id, Secret = secret, Now = Timestamps.Now(clock) });
            return WriteResult<WebhookRow>.Saved(await write.SingleAsync<WebhookRow>(SelectById, new { Id = id }));
        }, cancellationToken);
    }

    /// <summary>Deletes the hook with its deliveries (ON DELETE CASCADE): nothing more is sent to it.</summary>
    public Task<WriteResult<WebhookRow>> DeleteAsync(long id, Func<WebhookRow, bool> precondition, CancellationToken cancellationToken) =>
        database.ChangeRowAsync<WebhookRow>(SelectById, id, precondition, async (write, current) =>
        {
            await write.ExecuteAsync(Delete, new { Id = id });
            return WriteResult<WebhookRow>.Saved(current);
        }, cancellationToken);

    private static string EventsText(IEnumerable<string> events) => string.Join(' ', events.Distinct(StringComparer.Ordinal));

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

// Properties rather than a constructor: enabled is an integer on SQLite and a boolean on PostgreSQL.
internal sealed class WebhookRow
{
    public long Id { get; init; }
    public string Url { get; init; } = "";
    public string Events { get; init; } = "";
    public bool Enabled { get; init; }
    public string Secret { get; init; } = "";
    public string? Description { get; init; }
    public string? DisabledReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }

    public IReadOnlyList<string> EventList => Events.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string eventType) => EventList.Any(e => e == WebhookEvents.Everything || e == eventType);

    public WebhookResponse ToResponse() => new(Id, Url, EventList, Enabled, Description, DisabledReason, CreatedAt, UpdatedAt, Version);

    public WebhookRequest ToRequest() => new() { Url = Url, Events = EventList, Enabled = Enabled, Description = Description };
}
