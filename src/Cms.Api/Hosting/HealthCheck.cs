using System.Diagnostics;
using Cms.Api.Data;
using Cms.Api.Search;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Hosting;

/// <summary>
/// Liveness (<c>/healthz</c>: the process answers; it never looks at the database, so a database outage does not get
/// healthy processes restarted) and readiness (<c>/readyz</c>: the database answers with every migration applied, and
/// what search and page rendering still have to do). Both answer in the health-check JSON most tools read:
/// <c>{"status","totalDuration","entries":{name:{"status","description","duration","data"}}}</c>.
/// </summary>
public static class HealthCheck
{
    private const string Probe = $"""
        SELECT (SELECT MAX(version) FROM schema_migrations) AS SchemaVersion,
               (SELECT COUNT(*) FROM article_pages_due) AS PagesToRender,
               ({SearchIndexer.SelectNewestChange}) AS NewestSearchChange
        """;

    private const string PostgresProbe = """
        SELECT (SELECT MAX(version) FROM schema_migrations) AS SchemaVersion,
               (SELECT COUNT(*) FROM article_pages_due) AS PagesToRender,
               0::bigint AS NewestSearchChange
        """;

    public sealed record HealthEntry(string Status, string Description, string Duration, IReadOnlyDictionary<string, object> Data);

    /// <param name="Status">Healthy, Degraded or Unhealthy (then the answer is 503).</param>
    /// <param name="TotalDuration">How long the checks took (hh:mm:ss.fffffff).</param>
    /// <param name="Entries">Each check by name.</param>
    public sealed record HealthReport(string Status, string TotalDuration, IReadOnlyDictionary<string, HealthEntry> Entries);

    private sealed record ProbeRow(long? SchemaVersion, long PagesToRender, long NewestSearchChange);

    public static Ok<HealthReport> Live() =>
        TypedResults.Ok(new HealthReport("Healthy", TimeSpan.Zero.ToString(), new Dictionary<string, HealthEntry>()));

    public static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(
        CmsDatabase database, IServiceProvider services, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var known = (database is SqliteDatabase ? MigrationSet.Sqlite : MigrationSet.Postgres).All[^1].Version;
        var entries = new Dictionary<string, HealthEntry>();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var probe = await connection.QuerySingleAsync<ProbeRow>(new CommandDefinition(
                database is SqliteDatabase ? Probe : PostgresProbe, cancellationToken: cancellationToken));
            var took = Stopwatch.GetElapsedTime(started).ToString();
            var migrated = probe.SchemaVersion == known;
            entries["database"] = new HealthEntry(migrated ? "Healthy" : "Unhealthy",
                migrated ? "The database answers and every migration is applied." : "The database answers but its schema is not this version's.",
                took, new Dictionary<string, object> { ["schemaVersion"] = probe.SchemaVersion ?? 0, ["expectedVersion"] = known });
            var indexer = services.GetService<SearchIndexer>();
            var behind = indexer?.Behind(probe.NewestSearchChange) ?? 0;
            entries["search"] = new HealthEntry("Healthy",
                behind == 0 ? "Search has every change." : "Search is catching up (or rebuilding): searches find what it has so far.",
                took, new Dictionary<string, object> { ["changesBehind"] = behind });
            entries["pages"] = new HealthEntry("Healthy",
                probe.PagesToRender == 0 ? "Every published page is rendered." : "Pages are being rendered; until then they are built on each read.",
                took, new Dictionary<string, object> { ["pagesToRender"] = probe.PagesToRender });
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException || database.IsUnavailable(exception))
        {
            entries["database"] = new HealthEntry("Unhealthy", $"The database does not answer: {exception.Message}",
                Stopwatch.GetElapsedTime(started).ToString(), new Dictionary<string, object>());
        }

        var healthy = entries.Values.All(e => e.Status == "Healthy");
        var report = new HealthReport(healthy ? "Healthy" : "Unhealthy", Stopwatch.GetElapsedTime(started).ToString(), entries);
        return healthy ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
