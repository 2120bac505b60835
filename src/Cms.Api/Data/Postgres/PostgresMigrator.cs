using Dapper;
using Npgsql;

namespace Cms.Api.Data.Postgres;

/// <summary>
/// Applies PostgreSQL's numbered scripts (<see cref="MigrationSet.Postgres"/>) in order, each in its own transaction,
/// recorded in <c>schema_migrations</c> as on SQLite. Any number of nodes may start at once: each waits for one
/// advisory lock, so one migrates while the others wait, then find nothing left to do. Refuses a database that a newer
/// build has migrated further.
/// </summary>
public sealed class PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator> logger) : IDatabaseMigrator
{
    // The advisory lock every node migrating this database takes: any fixed number ("CMS" "MIGR" in ASCII).
    private const long MigrationLock = 0x434D_534D_4947_52;

    private const string CreateSchemaTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    bigint PRIMARY KEY,
            name       text NOT NULL,
            applied_at text NOT NULL
        )
        """;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A session lock: released by the unlock below, or by PostgreSQL when this connection dies with its node.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@MigrationLock)", new { MigrationLock }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateSchemaTable, cancellationToken: cancellationToken));
            var newest = await connection.QuerySingleOrDefaultAsync<(long Version, string Name)?>(new CommandDefinition(MigrationSet.SelectNewest, cancellationToken: cancellationToken));
            if (newest is { } found)
            {
                MigrationSet.Postgres.RefuseNewer(found.Version, found.Name);
            }

            var applied = (await connection.QueryAsync<long>(new CommandDefinition(MigrationSet.SelectApplied, cancellationToken: cancellationToken))).ToHashSet();
            foreach (var migration in MigrationSet.Postgres.All.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                // Sent as it is: a script is many statements (and function bodies), with no parameters to bind.
                await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await script.ExecuteNonQueryAsync(cancellationToken);
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    MigrationSet.InsertApplied,
                    new { migration.Version, migration.Name, AppliedAt = Timestamps.ToText(DateTimeOffset.UtcNow) },
                    transaction,
                    cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLock)", new { MigrationLock });
        }
    }
}
