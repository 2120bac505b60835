namespace Cms.Api.Tests;

/// <summary>
/// Which engine's run a test belongs to. scripts/test.sh runs the suite on SQLite, then again on PostgreSQL without
/// these two categories: <see cref="SqliteOnly"/> tests what only the SQLite engine has (its index file, WAL, crash
/// recovery of its file, backups, its query plans); <see cref="NotYetOnPostgres"/> marks what the PostgreSQL engine does
/// not do yet (search, import and upsert), and shrinks as it does.
/// </summary>
internal static class Engines
{
    public const string SqliteOnly = "SqliteOnly";
    public const string NotYetOnPostgres = "NotYetOnPostgres";
}
