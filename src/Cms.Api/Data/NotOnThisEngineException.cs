namespace Cms.Api.Data;

/// <summary>
/// A feature the configured engine does not have yet (search, import and upsert run on SQLite only in this version):
/// answered 501 with this message, never 500.
/// </summary>
public sealed class NotOnThisEngineException(string feature)
    : Exception($"{feature} runs on the SQLite engine only in this version; the rest of the API works on PostgreSQL.")
{
    /// <summary>The SQLite engine, which <paramref name="feature"/> needs; anything else is refused.</summary>
    public static SqliteDatabase RequireSqlite(CmsDatabase database, string feature) =>
        database as SqliteDatabase ?? throw new NotOnThisEngineException(feature);
}
