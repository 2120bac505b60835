namespace Cms.Api.Tests;

/// <summary>
/// Which engine's run a test belongs to. scripts/test.sh runs the suite on SQLite without <see cref="PostgresOnly"/>
/// (several nodes on one database), then again on PostgreSQL without the other two: <see cref="SqliteOnly"/> tests what
/// only the SQLite engine has (its index file, WAL, crash recovery of its file, backups, its query plans);
/// <see cref="NotYetOnPostgres"/> marks what the PostgreSQL engine does not do yet (search, import and upsert), and
/// shrinks as it does.
/// </summary>
internal static class Engines
{
    public const string SqliteOnly = "SqliteOnly";
    public const string NotYetOnPostgres = "NotYetOnPostgres";
    public const string PostgresOnly = "PostgresOnly";
}
