using Cms.Api.Instrumentation;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Webhooks;

/// <summary>
/// Sends what the outbox stored. Each pass claims due deliveries in a write of its own (on PostgreSQL the write lock makes
/// the claim one node's alone): a claimed delivery is leased for <see cref="Lease"/>, so a node that dies mid-send leaves
/// it to be sent again once the lease runs out, and never sent twice while it lives. Per hook, deliveries with the same
/// ordering key (an article's events) go one at a time, in the order they were stored: a later one waits while an
/// earlier one is pending or being retried. A failure (non-2xx, no answer in 10 s, no connection) is retried with
/// exponential backoff and jitter; after <see cref="WebhookOutbox.RetryWindow"/> the delivery fails and its hook is
/// disabled, saying why. Every attempt is recorded.
/// </summary>
internal sealed partial class WebhookDispatcher : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(1);
    private const int ClaimedAtOnce = 32;

    private const string SelectDue = """
        SELECT d.id AS Id, d.webhook_id AS WebhookId, d.message_id AS MessageId, d.payload AS Payload, d.attempts AS Attempts,
               d.expires_at AS ExpiresAt, w.url AS Url, w.secret AS Secret
        FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.state = 'pending' AND w.enabled = @Enabled AND d.next_attempt_at <= @Now AND (d.leased_until IS NULL OR d.leased_until <= @Now)
          AND NOT EXISTS (
              SELECT 1 FROM webhook_deliveries e
              WHERE e.webhook_id = d.webhook_id AND e.ordering_key = d.ordering_key AND e.state = 'pending' AND e.id < d.id)
        ORDER BY d.id
        LIMIT @Limit
        """;

    private const string PruneFinished = "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < @Cutoff";

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private const string Claim = "UPDATE webhook_deliveries SET leased_until = @Until WHERE id IN @Ids";

    private const string InsertAttempt = """
        INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, response, error)
        VALUES (@Id, @Now, @StatusCode, @LatencyMs, @Response, @Error)
        """;

    private const string Delivered = """
        UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, finished_at = @Now, leased_until = NULL WHERE id = @Id
        """;

    private const string Retry = """
        UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = @Next, leased_until = NULL WHERE id = @Id
        """;

    private const string Failed = """
        UPDATE webhook_deliveries SET state = 'failed', attempts = attempts + 1, finished_at = @Now, leased_until = NULL WHERE id = @Id;
        UPDATE webhooks SET enabled = @Disabled, disabled_reason = @Reason, updated_at = @Now, version = version + 1 WHERE id = @WebhookId AND enabled = @Enabled
        """;

    private readonly CmsDatabase database;
    private readonly WebhookSender sender;
    private readonly TimeProvider clock;
    private readonly ILogger<WebhookDispatcher> logger;
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly TimeSpan keepFinished;
    private DateTimeOffset nextPrune = DateTimeOffset.MinValue;

    // The outbox is what it sends from, built with it, so that every write stores its events from the start.
    public WebhookDispatcher(
        CmsDatabase database, WebhookOutbox outbox, WebhookSender sender, TimeProvider clock, IOptions<CmsOptions> options, ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        keepFinished = TimeSpan.FromDays(options.Value.Webhooks.KeepDeliveriesDays);
        this.database = database;
        this.sender = sender;
        this.clock = clock;
        this.logger = logger;
        database.ChangesCommitted += keys =>
        {
            if (keys.Contains(WebhookOutbox.DeliveriesKey) || keys.Contains(SurrogateKeys.All))
            {
                Wake();
            }
        };
    }

    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A periodic timer remembers a tick that fell while a pass was running: retries come due even if nothing wakes it.
        using var poll = new PeriodicTimer(Poll, clock);
        Task<bool>? tick = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(stoppingToken);
                var due = await ClaimAsync(stoppingToken);
                if (due.Count > 0)
                {
                    await Task.WhenAll(due.Select(d => DeliverAsync(d, stoppingToken)));
                    continue;
                }

                tick ??= poll.WaitForNextTickAsync(stoppingToken).AsTask();
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var waking = wake.WaitAsync(woken.Token);
                if (await Task.WhenAny(waking, tick) == tick)
                {
                    tick = null;
                }

                await woken.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPassFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    // Hourly: finished deliveries older than Cms:Webhooks:KeepDeliveriesDays go, with their attempts.
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = Timestamps.Now(clock);
        if (now < nextPrune)
        {
            return;
        }

        await using var write = await database.BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync(PruneFinished, new { Cutoff = Timestamps.ToText(now - keepFinished) });
        await write.CommitAsync();
        nextPrune = now + PruneEvery;
    }

    private async Task<List<DueDelivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = Timestamps.Now(clock);
        // A read first: an idle pass takes no write turn from the requests (SQLite has one writer).
        if ((await database.ListAsync<DueDelivery>(SelectDue, new { Enabled = true, Now = Timestamps.ToText(now), Limit = 1 }, cancellationToken)).Count == 0)
        {
            return [];
        }

        await using var write = await database.BeginWriteAsync(cancellationToken);
        var due = await write.ListAsync<DueDelivery>(SelectDue, new { Enabled = true, Now = Timestamps.ToText(now), Limit = ClaimedAtOnce });
        if (due.Count == 0)
        {
            return due;
        }

        var (claim, parameters) = IdLists.Expand(Claim, due.ConvertAll(d => d.Id), new { Until = Timestamps.ToText(now + Lease) });
        await write.ExecuteAsync(claim, parameters);
        await write.CommitAsync();
        return due;
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = await sender.SendAsync(delivery.Url, delivery.Secret, delivery.MessageId, delivery.Payload, cancellationToken);
        var now = Timestamps.Now(clock);
        await using var write = await database.BeginWriteAsync(CancellationToken.None);
        await write.ExecuteAsync(InsertAttempt, new { delivery.Id, Now = Timestamps.ToText(now), attempt.StatusCode, attempt.LatencyMs, attempt.Response, attempt.Error });
        if (!attempt.Succeeded)
        {
            Instruments.WebhookFailures.Add(1);
        }

        if (attempt.Succeeded)
        {
            await write.ExecuteAsync(Delivered, new { delivery.Id, Now = Timestamps.ToText(now) });
        }
        else if (now >= Timestamps.Parse(delivery.ExpiresAt))
        {
            var reason = $"Disabled at {Timestamps.ToText(now)}: delivery {delivery.Id} failed for {WebhookOutbox.RetryWindow.TotalHours:0} hours; "
                + $"the last attempt: {(attempt.StatusCode is { } status ? $"HTTP {status}" : attempt.Error)}.";
            await write.ExecuteAsync(Failed, new { delivery.Id, delivery.WebhookId, Now = Timestamps.ToText(now), Reason = reason, Enabled = true, Disabled = false });
            LogHookDisabled(delivery.WebhookId, reason);
        }
        else
        {
            await write.ExecuteAsync(Retry, new { delivery.Id, Next = Timestamps.ToText(now + Backoff(delivery.Attempts + 1)) });
        }

        await write.CommitAsync();
    }

    /// <summary>5 s, 10 s, 20 s… up to an hour between attempts, each ±20% so that many failed deliveries do not retry in step.</summary>
    internal static TimeSpan Backoff(long attempts)
    {
        var doubled = FirstRetry * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = doubled < LongestRetry ? doubled : LongestRetry;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook dispatch pass failed; the next one retries")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} disabled: {Reason}")]
    private partial void LogHookDisabled(long webhookId, string reason);

    private sealed record DueDelivery(long Id, long WebhookId, string MessageId, string Payload, long Attempts, string ExpiresAt, string Url, string Secret);
}
