using Dapper;

namespace Cms.Api.Data;

/// <summary>
/// Applies SQLite's numbered scripts (<see cref="MigrationSet.Sqlite"/>) in order, each in its own transaction, and
/// records every applied one in <c>schema_migrations</c>. Refuses a database that a newer build has migrated further.
/// One process migrates its file: it holds the write turn, and SQLite's own lock keeps out any other.
/// </summary>
public sealed class Migrator(SqliteDatabase database, ILogger<Migrator> logger) : IDatabaseMigrator
{
    private const string CreateSchemaTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    /// <summary>
    /// The first connection: makes the database file's directory when it is missing (a new server's /var/lib/cms), and
    /// when the file cannot be opened says which path, instead of SQLite's "unable to open database file".
    /// </summary>
    private async Task<System.Data.Common.DbConnection> OpenCreatingDirectoryAsync(CancellationToken cancellationToken)
    {
        var path = database.DataSource is "" or ":memory:" ? null : Path.GetFullPath(database.DataSource);
        try
        {
            if (path is not null && Path.GetDirectoryName(path) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            return await database.OpenWriterAsync(cancellationToken);
        }
        catch (Exception exception) when (path is not null && exception is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new InvalidOperationException(
                $"Could not open the SQLite database '{path}' (ConnectionStrings:Cms): {exception.Message} Check that the directory exists or can be made, and that this user may write there.",
                exception);
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = (Microsoft.Data.Sqlite.SqliteConnection)await OpenCreatingDirectoryAsync(cancellationToken);

        // A new database gets 8 KB pages instead of SQLite's 4 KB: a section of a few hundred characters wastes less of a
        // page, so imports write fewer bytes and commit sooner.
        // SQLite takes this only before the first table exists and in this order (before WAL); an existing database
        // keeps its page size, which only a VACUUM outside WAL mode could change.
        await connection.ExecuteAsync("PRAGMA page_size = 8192");

        // WAL lets readers run while a writer commits; the setting is stored in the file, once is enough.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL");
        await connection.ExecuteAsync(CreateSchemaTable);

        var newest = await connection.QuerySingleOrDefaultAsync<(long Version, string Name)?>(MigrationSet.SelectNewest);
        if (newest is { } found)
        {
            MigrationSet.Sqlite.RefuseNewer(found.Version, found.Name);
        }

        var applied = (await connection.QueryAsync<long>(MigrationSet.SelectApplied)).ToHashSet();
        foreach (var migration in MigrationSet.Sqlite.All.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = SqliteDatabase.BeginWrite(connection);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            await connection.ExecuteAsync(
                MigrationSet.InsertApplied,
                new { migration.Version, migration.Name, AppliedAt = Timestamps.ToText(DateTimeOffset.UtcNow) },
                transaction);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
        }
    }
}
