using Cms.Api.Data;
using Cms.Api.Data.Postgres;
using Cms.Api.Search;
using Cms.Api.Settings;
using Cms.Api.Transfer;
using Microsoft.Extensions.Options;

namespace Cms.Api.Hosting;

/// <summary>
/// Registers the engine <c>Cms:Database:Provider</c> names: its <see cref="CmsDatabase"/> and its migrator. Read from
/// configuration here, before the options exist, because it decides what is registered; an unknown name is refused at
/// start-up by the options' validation.
/// </summary>
internal static class DatabaseEngines
{
    public static bool IsSqlite(IConfiguration configuration) =>
        configuration.GetValue<string>("Cms:Database:Provider") is null or "sqlite";

    public static IServiceCollection AddDatabaseEngine(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsSqlite(configuration))
        {
            var connectionString = configuration.GetConnectionString("Cms") ?? "Data Source=cms.db";
            services.AddSingleton(provider => new SqliteDatabase(
                connectionString, provider.GetRequiredService<IOptions<CmsOptions>>().Value.Database.WalLimitMegabytes * 1024L * 1024));
            services.AddSingleton<CmsDatabase>(provider => provider.GetRequiredService<SqliteDatabase>());
            services.AddSingleton<IDatabaseMigrator, Migrator>();
            services.AddSingleton<SearchChanges, SearchChanges.Logged>();
            services.AddSingleton<FullTextSearch, FullTextSearch.Fts5>();
            services.AddSingleton<DocumentWriters, SqliteDocumentWriters>();
        }
        else
        {
            var connectionString = configuration.GetConnectionString("Cms")
                ?? throw new InvalidOperationException("Cms:Database:Provider is postgres: set ConnectionStrings:Cms to the PostgreSQL database (Host=…;Database=…;Username=…).");
            services.AddSingleton(_ => new PostgresDatabase(connectionString));
            services.AddSingleton<CmsDatabase>(provider => provider.GetRequiredService<PostgresDatabase>());
            services.AddSingleton(provider => provider.GetRequiredService<PostgresDatabase>().DataSource);
            services.AddSingleton<IDatabaseMigrator, PostgresMigrator>();
            services.AddSingleton<SearchChanges, SearchChanges.Triggered>();
            services.AddSingleton<FullTextSearch, FullTextSearch.TsVector>();
            services.AddSingleton<DocumentWriters, PostgresDocumentWriters>();
            services.AddHostedService<ChangeNotifications>();
        }

        return services;
    }
}
