namespace Cms.Api.Tests;

/// <summary>
/// Which engine's run a test belongs to. scripts/test.sh runs the suite on SQLite without <see cref="PostgresOnly"/>
/// (several nodes on one database), then again on PostgreSQL without <see cref="SqliteOnly"/>: what only the SQLite
/// engine has (its index file, WAL, crash recovery of its file, backups, its query plans). Everything else runs on both.
/// </summary>
internal static class Engines
{
    public const string SqliteOnly = "SqliteOnly";
    public const string PostgresOnly = "PostgresOnly";
}
