using Cms.Api.Auth;
using Cms.Api.Data;
using Cms.Api.Idempotency;
using Cms.Api.Settings;
using Cms.Api.Transfer;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Cms.Api.Hosting;

/// <summary>
/// Runs before the server accepts requests: migrates the database, loads the keys, and seeds demo content when asked.
/// A first start's admin key is made once the server listens, where it can be shown: a start that fails to bind its
/// port stores no key nobody saw. Kept out of Program.cs's build path so exporting OpenAPI needs no database.
/// </summary>
internal sealed class DatabaseStartup(
    IDatabaseMigrator migrator,
    CmsDatabase database,
    ApiKeyRegistry keys,
    IOptions<CmsOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    IServer server,
    TimeProvider clock,
    ILogger<DatabaseStartup> logger,
    DocumentWriters documents) : IHostedService
{
    private const string GeneratedAdminName = "admin (generated)";

    private const string SelectStoredKeys =
        "SELECT id AS Id, name AS Name, role AS Role, key_hash AS Hash FROM api_keys WHERE revoked_at IS NULL";

    private const string InsertKey = """
        INSERT INTO api_keys (name, role, prefix, key_hash, created_at)
        VALUES (@Name, @Role, @Prefix, @Hash, @Now)
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await IdempotencyRecords.ClearClaimsAsync(database, cancellationToken);
        var needsAdminKey = await LoadKeysAsync(cancellationToken);

        if (options.Value.SeedDemoContent ?? environment.IsDevelopment())
        {
            await DemoContent.SeedIfEmptyAsync(documents, clock, cancellationToken);
        }

        // ApplicationStarted runs its callbacks synchronously once the server listens; the key is stored before the
        // callback returns, so it is in the database before it is printed.
        lifetime.ApplicationStarted.Register(() => Announce(needsAdminKey ? GenerateAdminKeyAsync().GetAwaiter().GetResult() : null));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads the stored keys; true when there is no admin key yet (one is made once the server listens).</summary>
    private async Task<bool> LoadKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stored = (await connection.QueryAsync<ApiKeyRegistry.KnownKey>(SelectStoredKeys)).AsList();
        foreach (var known in stored)
        {
            keys.Add(known.Name, known.Role, known.Hash, known.Id);
        }

        if (!string.IsNullOrWhiteSpace(options.Value.AdminKey))
        {
            keys.Add("admin (configuration)", Roles.Admin, ApiKeyRegistry.Hash(options.Value.AdminKey));
            return false;
        }

        return !stored.Any(k => k.Role == Roles.Admin);
    }

    /// <summary>Makes and stores the admin key, to be shown once (only its hash is kept).</summary>
    private async Task<string> GenerateAdminKeyAsync()
    {
        var key = ApiKeyRegistry.Generate();
        long id;
        await using (var write = await database.BeginWriteAsync(CancellationToken.None))
        {
            id = await write.ScalarAsync<long>(InsertKey + " RETURNING id", new
            {
                Name = GeneratedAdminName,
                Role = Roles.Admin,
                Prefix = key[..8],
                Hash = ApiKeyRegistry.Hash(key),
                Now = Timestamps.Now(clock),
            });
            await write.CommitAsync();
        }

        keys.Add(GeneratedAdminName, Roles.Admin, ApiKeyRegistry.Hash(key), id);
        return key;
    }

    private void Announce(string? generatedKey)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            logger.LogInformation("Swagger UI: {Address}/swagger", address.Replace("[::]", "localhost", StringComparison.Ordinal));
        }

        logger.LogInformation("Database: {Database}", database.Describe());
        if (generatedKey is not null)
        {
            // Printed once: only the hash is stored. Lost it? Set Cms__AdminKey, or delete cms.db's api_keys row and restart.
            Console.WriteLine();
            Console.WriteLine("  Admin API key (shown once, stored only as a hash):");
            Console.WriteLine($"    {generatedKey}");
            Console.WriteLine("  Send it as 'Authorization: Bearer <key>' or paste it into Swagger UI's Authorize button.");
            Console.WriteLine();
        }
        else if (string.IsNullOrWhiteSpace(options.Value.AdminKey))
        {
            logger.LogInformation("Admin key: the one generated on first start (stored as a hash). Set Cms__AdminKey to use your own.");
        }
        else
        {
            logger.LogInformation("Admin key: from configuration (Cms:AdminKey)");
        }
    }
}
