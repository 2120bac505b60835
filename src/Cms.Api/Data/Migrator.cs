using System.Reflection;
using Dapper;

namespace Cms.Api.Data;

/// <summary>
/// Applies the numbered <c>Data/Migrations/NNNN_name.sql</c> scripts in order, each in its own transaction,
/// and records every applied one in <c>schema_migrations</c>. Refuses a database that a newer build has migrated further.
/// </summary>
public sealed class Migrator(CmsDatabase database, ILogger<Migrator> logger)
{
    private const string CreateSchemaTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    private const string SelectApplied = "SELECT version FROM schema_migrations";

    private const string SelectNewest = "SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1";

    private const string InsertApplied =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);

        // A new database gets 8 KB pages instead of SQLite's 4 KB: a section of a few hundred characters wastes less of a
        // page, so imports write fewer bytes and commit sooner.
        // SQLite takes this only before the first table exists and in this order (before WAL); an existing database
        // keeps its page size, which only a VACUUM outside WAL mode could change.
        await connection.ExecuteAsync("PRAGMA page_size = 8192");

        // WAL lets readers run while a writer commits; the setting is stored in the file, once is enough.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL");
        await connection.ExecuteAsync(CreateSchemaTable);

        // A database migrated by a newer build (a deploy rolled back, an old node left running) has tables and rules
        // this build does not know; writing to it could break what the newer build relies on, so it does not start.
        var newest = await connection.QuerySingleOrDefaultAsync<(long Version, string Name)?>(SelectNewest);
        if (newest is { } found && found.Version > All[^1].Version)
        {
            throw new InvalidOperationException(
                $"The database was migrated by a newer version of the CMS (to migration {found.Name}); this version knows "
                + $"migrations up to {All[^1].Name}. Run the newer version, or restore a backup taken before it migrated.");
        }

        var applied = (await connection.QueryAsync<long>(SelectApplied)).ToHashSet();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = CmsDatabase.BeginWrite(connection);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            await connection.ExecuteAsync(
                InsertApplied,
                new { migration.Version, migration.Name, AppliedAt = Timestamps.ToText(DateTimeOffset.UtcNow) },
                transaction);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
        }
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Cms.Api.Data.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = long.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd()));
        }

        var ordered = migrations.OrderBy(m => m.Version).ToList();
        if (ordered.Select(m => m.Version).Distinct().Count() != ordered.Count)
        {
            throw new InvalidOperationException("Two migrations share a version number.");
        }

        return ordered;
    }

    public sealed record Migration(long Version, string Name, string Sql);
}
