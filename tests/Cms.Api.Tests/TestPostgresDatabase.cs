using Npgsql;

namespace Cms.Api.Tests;

/// <summary>
/// The PostgreSQL server the tests use: scripts/test.sh starts a throwaway cluster and names it in CMS_TEST_POSTGRES
/// (a connection string without a database). Each test gets a database of its own, dropped when it is disposed.
/// Without the variable the PostgreSQL tests are skipped, saying why; scripts/test.sh fails rather than skip when
/// PostgreSQL is installed.
/// </summary>
internal sealed class TestPostgresDatabase : IAsyncDisposable
{
    private const string Variable = "CMS_TEST_POSTGRES";

    private TestPostgresDatabase(string server, string name)
    {
        this.server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    private readonly string server;

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestPostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(server))
        {
            Assert.Ignore($"PostgreSQL is not available: {Variable} is not set (scripts/test.sh starts a server and sets it).");
        }

        var name = $"cms_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new TestPostgresDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
