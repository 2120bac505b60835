using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Auth;

/// <summary>
/// Records when each key was last used without a database write on every request: at most once a minute per key.
/// </summary>
public sealed class KeyUsage(CmsDatabase database, TimeProvider clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private const string Update = "UPDATE api_keys SET last_used_at = @Now WHERE id = @Id";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset> lastWritten = new();

    internal async Task TouchAsync(ApiKeyRegistry.KnownKey key)
    {
        if (key.Id is not { } id)
        {
            return;
        }

        var now = Timestamps.Now(clock);
        if (lastWritten.TryGetValue(id, out var last) && now - last < Interval)
        {
            return;
        }

        lastWritten[id] = now;
        try
        {
            // Never make a request wait for another write (an import can hold the turn for minutes).
            await using var connection = await database.TryOpenWriterAsync(TimeSpan.Zero);
            if (connection is null)
            {
                lastWritten.TryRemove(id, out _);
                return;
            }

            await connection.ExecuteAsync(Update, new { Id = id, Now = now });
        }
        catch (System.Data.Common.DbException)
        {
            // Best effort: a busy database only delays lastUsedAt to a later request; the request itself goes on.
            lastWritten.TryRemove(id, out _);
        }
    }
}
