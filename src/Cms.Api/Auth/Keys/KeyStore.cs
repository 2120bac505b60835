using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Auth.Keys;

/// <summary>API keys in the database: SHA-256 hashes and an 8-character prefix to recognise them by.</summary>
public sealed class KeyStore(CmsDatabase database, ApiKeyRegistry registry, TimeProvider clock)
{
    private const string Insert = """
        INSERT INTO api_keys (name, role, prefix, key_hash, created_at) VALUES (@Name, @Role, @Prefix, @Hash, @Now)
        RETURNING id
        """;

    private const string SelectActive = """
        SELECT id AS Id, name AS Name, role AS Role, prefix AS Prefix, created_at AS CreatedAt, last_used_at AS LastUsedAt
        FROM api_keys WHERE revoked_at IS NULL ORDER BY id
        """;

    private const string Revoke = "UPDATE api_keys SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL";

    public async Task<CreatedKeyResponse> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        var secret = ApiKeyRegistry.Generate();
        var hash = ApiKeyRegistry.Hash(secret);
        var now = Timestamps.Now(clock);
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(Insert, new { Name = name, Role = role, Prefix = secret[..8], Hash = hash, Now = now });
        registry.Add(name, role, hash, id);
        return new CreatedKeyResponse(id, name, role, secret[..8], now, secret);
    }

    public async Task<IReadOnlyList<KeyResponse>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<KeyResponse>(SelectActive)).AsList();
    }

    /// <summary>Revokes the key; it stops working on the next request.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(Revoke, new { Id = id, Now = Timestamps.Now(clock) }) == 1;
        registry.Remove(id);
        return revoked;
    }
}

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
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Best effort: a busy database only delays lastUsedAt to a later request; the request itself goes on.
            lastWritten.TryRemove(id, out _);
        }
    }
}
