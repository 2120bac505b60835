using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Articles;

/// <summary>
/// Publishes scheduled articles when their <c>publishAt</c> comes, with no request needed. It runs once at
/// start (catching up on anything that fell due while the service was down), then sleeps until the next due
/// time — woken early when an article is (re)scheduled — and polls at least every Cms:SchedulerPollInterval.
/// Time comes from the injected <see cref="TimeProvider"/>, so tests drive it without waiting.
/// </summary>
public sealed partial class ScheduledPublisher(
    IServiceProvider services,
    TimeProvider clock,
    IOptions<CmsOptions> options,
    ILogger<ScheduledPublisher> logger) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0, 1);
    private TaskCompletionSource<int> nextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly TaskCompletionSource firstRun = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the pass made at start (which catches up on anything due while the service was down).</summary>
    public Task FirstRun => firstRun.Task;

    /// <summary>Completes after the next pass over due articles, with how many it published.</summary>
    public Task<int> NextRunAsync() => Volatile.Read(ref nextRun).Task;

    internal void WakeIfScheduled(ArticleResponse article)
    {
        if (article.Status == ArticleStatus.Scheduled)
        {
            Wake();
        }
    }

    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken: one pending wake-up is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = services.GetRequiredService<ArticleStore>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            DateTimeOffset? nextDue = null;
            var passStarted = clock.GetUtcNow();
            try
            {
                (published, nextDue) = await store.PublishDueAsync(stoppingToken);
                if (published > 0)
                {
                    LogPublished(logger, published);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }

            Interlocked.Exchange(ref nextRun, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(published);
            firstRun.TrySetResult();

            // The next pass is due a poll interval after this one began, or when the next article is, whichever is first;
            // time that went by during the pass counts.
            var next = passStarted + options.Value.SchedulerPollInterval;
            if (nextDue is { } due && due < next)
            {
                next = due;
            }

            var delay = next - clock.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                using var wakeOrTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var sleeping = Task.Delay(delay, clock, wakeOrTimeout.Token);
                // The timer counts from when it was made: time that went by since the delay was worked out (a clock
                // moved forward meanwhile) would make it late, so a pass already due goes now.
                if (clock.GetUtcNow() < next)
                {
                    var woken = wake.WaitAsync(wakeOrTimeout.Token);
                    await Task.WhenAny(sleeping, woken);
                }

                await wakeOrTimeout.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} scheduled article(s)")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled publishing failed; retrying at the next poll")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
