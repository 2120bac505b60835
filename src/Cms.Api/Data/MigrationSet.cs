using System.Globalization;
using System.Reflection;

namespace Cms.Api.Data;

/// <summary>
/// One engine's numbered scripts, <c>Data/Migrations/{engine}/NNNN_name.sql</c>, in order. A version number means the
/// same schema on every engine: a change is one script per engine under one number. PostgreSQL's scripts start at the
/// version SQLite had reached when PostgreSQL came (its first script creates that schema whole).
/// </summary>
public sealed class MigrationSet
{
    private MigrationSet(string engine, List<Migration> ordered)
    {
        Engine = engine;
        All = ordered;
    }

    // schema_migrations, one row per applied script, is read and written alike on every engine.
    internal const string SelectNewest = "SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1";

    internal const string SelectApplied = "SELECT version FROM schema_migrations";

    internal const string InsertApplied =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public static MigrationSet Sqlite { get; } = Load("Sqlite");

    public static MigrationSet Postgres { get; } = Load("Postgres");

    public string Engine { get; }

    public IReadOnlyList<Migration> All { get; }

    /// <summary>
    /// A database migrated by a newer build (a deploy rolled back, an old node left running) has tables and rules this
    /// build does not know; writing to it could break what the newer build relies on, so this build does not start.
    /// </summary>
    public void RefuseNewer(long newestApplied, string newestName)
    {
        if (newestApplied > All[^1].Version)
        {
            throw new InvalidOperationException(
                $"The database was migrated by a newer version of the CMS (to migration {newestName}); this version knows "
                + $"migrations up to {All[^1].Name}. Run the newer version, or restore a backup taken before it migrated.");
        }
    }

    private static MigrationSet Load(string engine)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"Cms.Api.Data.Migrations.{engine}.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = long.Parse(fileName[..separator], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd()));
        }

        var ordered = migrations.OrderBy(m => m.Version).ToList();
        if (ordered.Count == 0 || ordered.Select(m => m.Version).Distinct().Count() != ordered.Count)
        {
            throw new InvalidOperationException($"{engine}'s migrations are missing, or two of them share a version number.");
        }

        return new MigrationSet(engine, ordered);
    }
}

public sealed record Migration(long Version, string Name, string Sql);
