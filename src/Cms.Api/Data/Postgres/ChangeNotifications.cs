using Dapper;
using Npgsql;

namespace Cms.Api.Data.Postgres;

/// <summary>
/// Several nodes, one truth: every write's changed public views (surrogate keys) reach every other node's caches. The
/// write sends them with <c>pg_notify</c> inside its transaction, so they are delivered if and only if it commits; each
/// node listens on one connection of its own and announces what other nodes changed as if it had written it
/// (<see cref="CmsDatabase.ChangesCommitted"/>). A node that loses its listening connection (PostgreSQL restarting)
/// reconnects by itself and then evicts everything, since it may have missed notifications meanwhile.
/// </summary>
internal sealed partial class ChangeNotifications(PostgresDatabase database, ILogger<ChangeNotifications> logger) : IHostedService, IAsyncDisposable
{
    private const string Channel = "cms_changes";

    // The surrogate key for every public view (Caching/SurrogateKeys.All).
    private const string Everything = "*";

    // PostgreSQL refuses a payload of 8,000 bytes or more: a larger set of keys (a bulk write's) is sent as "everything".
    private const int MaxPayload = 7_900;

    private readonly string node = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource stopping = new();
    private NpgsqlConnection? listening;
    private Task? loop;
    private volatile bool disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        database.BeforeEveryCommit(NotifyAsync);
        // Listening before the node serves: a write another node makes once this one answers is never missed.
        listening = await ListenAsync(cancellationToken);
        loop = Task.Run(() => ReceiveAsync(stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop it after disposing the services (a test's second stop), or while they are being disposed:
        // then it has nothing left to stop.
        if (disposed)
        {
            return;
        }

        try
        {
            await stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        stopping.Dispose();
        if (listening is not null)
        {
            await ReleaseAsync(listening);
        }
    }

    // Pooled connections are not reset when reused (PostgresDatabase): one that goes back still listening would take
    // in every other node's notifications until it closed. A broken one cannot be told, and the pool drops it anyway.
    private static async Task ReleaseAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
        }

        await connection.DisposeAsync();
    }

    private async Task NotifyAsync(WriteTransaction write)
    {
        if (write.ChangedViews.Count == 0)
        {
            return;
        }

        var payload = $"{node} {string.Join(' ', write.ChangedViews)}";
        if (payload.Length > MaxPayload)
        {
            payload = $"{node} {Everything}";
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_notify(@Channel, @Payload)", new { Channel, Payload = payload }, write.Transaction, cancellationToken: CancellationToken.None));
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        connection.Notification += (_, notification) => Receive(notification.Payload);
        await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private void Receive(string payload)
    {
        var parts = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1 && parts[0] != node)
        {
            database.Announce(parts[1..]);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (listening is null)
                {
                    listening = await ListenAsync(cancellationToken);
                    // Whatever other nodes wrote while this one was not listening went unheard.
                    database.Announce([Everything]);
                }

                retry = TimeSpan.FromMilliseconds(100);
                await listening.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or IOException)
            {
                // From now until it listens again, this node cannot hear other nodes' writes: nothing it cached is kept.
                database.Announce([Everything]);
                LogLost(exception, retry.TotalMilliseconds);
                if (listening is not null)
                {
                    await ReleaseAsync(listening);
                    listening = null;
                }

                try
                {
                    await Task.Delay(retry, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that hears other nodes' writes: the response cache is emptied, and again once it reconnects (next try in {RetryMilliseconds} ms).")]
    private partial void LogLost(Exception exception, double retryMilliseconds);
}
