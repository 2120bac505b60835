using Cms.Api.Data;

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
        long id;
        await using (var write = await database.BeginWriteAsync(cancellationToken))
        {
            id = await write.ScalarAsync<long>(Insert, new { Name = name, Role = role, Prefix = secret[..8], Hash = hash, Now = now });
            await write.CommitAsync();
        }

        registry.Add(name, role, hash, id);
        return new CreatedKeyResponse(id, name, role, secret[..8], now, secret);
    }

    public Task<List<KeyResponse>> ListAsync(CancellationToken cancellationToken) =>
        database.ListAsync<KeyResponse>(SelectActive, null, cancellationToken);

    /// <summary>Revokes the key; it stops working on the next request.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        bool revoked;
        await using (var write = await database.BeginWriteAsync(cancellationToken))
        {
            revoked = await write.ExecuteAsync(Revoke, new { Id = id, Now = Timestamps.Now(clock) }) == 1;
            await write.CommitAsync();
        }

        registry.Remove(id);
        return revoked;
    }
}
