using Cms.Api.Settings;
using Microsoft.Extensions.Options;
using Cms.Api.Data;
using Dapper;
using Cms.Api.Tests.Data;
using Microsoft.Extensions.Configuration;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cms.Api.Tests;

/// <summary>
/// The real application on its own fresh database, with a clock the test controls: a SQLite file, or with
/// CMS_TEST_ENGINE=postgres a PostgreSQL database of its own on the server CMS_TEST_POSTGRES names (scripts/test.sh runs
/// the suite both ways).
/// </summary>
public sealed class CmsFactory : WebApplicationFactory<Program>
{
    /// <summary>The engine this run tests: sqlite unless CMS_TEST_ENGINE says postgres.</summary>
    public static bool OnPostgres { get; } = Environment.GetEnvironmentVariable("CMS_TEST_ENGINE") == "postgres";

    private readonly TestPostgresDatabase? postgres;
    private readonly PostgresCommandCounter? postgresCommands;

    public const string AdminKey = "test-admin-key-0123456789";

    private readonly Dictionary<string, string?> settings;

    public CmsFactory(string? databasePath = null, IDictionary<string, string?>? settings = null)
    {
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"cms-test-{Guid.NewGuid():N}.db");
        this.settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Cms"] = $"Data Source={DatabasePath}",
            ["Cms:AdminKey"] = AdminKey,
            ["Cms:SeedDemoContent"] = "false",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("CMS_TEST_LOG") ?? "Warning",
        };
        if (OnPostgres && databasePath is null)
        {
            postgres = TestPostgresDatabase.CreateAsync().GetAwaiter().GetResult();
            postgresCommands = new PostgresCommandCounter(postgres.Name);
            this.settings["Cms:Database:Provider"] = "postgres";
            this.settings["ConnectionStrings:Cms"] = postgres.ConnectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }
    }

    public string DatabasePath { get; }

    /// <summary>
    /// The application again, on this one's database (the same SQLite file, or the same PostgreSQL database), with a clock
    /// of its own: a restart once this one is disposed, or a second copy beside it. This factory keeps owning the
    /// database (the other deletes nothing when disposed).
    /// </summary>
    public CmsFactory OnSameDatabase(IDictionary<string, string?>? settings = null)
    {
        var same = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (postgres is not null)
        {
            same["Cms:Database:Provider"] = "postgres";
            same["ConnectionStrings:Cms"] = postgres.ConnectionString;
        }

        return new CmsFactory(DatabasePath, same);
    }

    /// <summary>Another node of the same deployment: several nodes share a PostgreSQL database.</summary>
    public CmsFactory AnotherNode() => postgres is null
        ? throw new InvalidOperationException("Several nodes share a PostgreSQL database: run with CMS_TEST_ENGINE=postgres.")
        : OnSameDatabase();

    /// <summary>A number the database answers, read through the application's own connections (either engine).</summary>
    public long Scalar(string sql, object? parameters = null)
    {
        using var connection = Services.GetRequiredService<CmsDatabase>().OpenAsync().GetAwaiter().GetResult();
        return connection.ExecuteScalar<long>(sql, parameters);
    }

    /// <summary>Runs statements on the database directly, as an operator (or a fault) would, outside the application.</summary>
    public void Execute(string sql)
    {
        using var connection = Services.GetRequiredService<CmsDatabase>().OpenAsync().GetAwaiter().GetResult();
        connection.Execute(sql);
    }

    /// <summary>Starts at 2026-11-25T09:00Z and moves only when a test advances it (timers included).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    public HttpClient Anonymous() => CreateClient();

    public HttpClient Editor()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            if (postgres is null)
            {
                services.AddSingleton<SqliteDatabase>(provider => new CountingDatabase(
                    provider.GetRequiredService<IConfiguration>().GetConnectionString("Cms")!,
                    provider.GetRequiredService<IOptions<CmsOptions>>().Value.Database.WalLimitMegabytes * 1024L * 1024));
            }

            services.AddSingleton<IStartupFilter, TestClientAddress>();
        });
    }

    /// <summary>Commands the application has sent to its database so far.</summary>
    public long Commands => postgresCommands?.Commands ?? ((CountingDatabase)Services.GetRequiredService<CmsDatabase>()).Commands;

    public const string ClientAddressHeader = "X-Test-Client-Address";

    /// <summary>The test server has no sockets: this lets a test say which client address a request comes from.</summary>
    private sealed class TestClientAddress : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address.ToString());
                }

                await proceed(context);
            });
            next(app);
        };
    }

    public void DeleteDatabase()
    {
        if (postgres is not null)
        {
            postgresCommands!.Dispose();
            postgres.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-search", "-search-wal", "-search-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }
}
