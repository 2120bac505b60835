using System.Data.Common;
using Dapper;
using Npgsql;

namespace Cms.Api.Data.Postgres;

/// <summary>
/// The server engine: a PostgreSQL database shared by any number of nodes. Writes keep SQLite's rule, one at a time,
/// across every node: each write transaction first takes one advisory lock, so a write's checks (If-Match, flood
/// rules, slugs, positions) and its changes see the database alone, as they do on SQLite. A write that waits
/// longer than the busy timeout for it fails as busy (503), as on SQLite.
/// </summary>
public sealed class PostgresDatabase : CmsDatabase, IAsyncDisposable
{
    // The advisory lock every write takes: any fixed number ("CMS" "WRITE" in ASCII).
    private const long WriteLock = 0x434D_5357_5249_5445;

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly NpgsqlConnectionStringBuilder settings;

    public PostgresDatabase(string connectionString)
    {
        settings = new NpgsqlConnectionStringBuilder(connectionString);
        // The same few statements run over and over (a page, a comment's checks): prepared on each pooled connection, the
        // server plans them once instead of at every run. A connection string that says otherwise wins.
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }

        // Nothing sets a session setting on a pooled connection (writes use SET LOCAL; searches have a pool of their own,
        // below): resetting each connection as it is reused only costs the server a few statements per request.
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            settings.NoResetOnClose = true;
        }

        DataSource = NpgsqlDataSource.Create(settings);

        // Searches and public pages have small pools of their own: a few connections per core keep them busy.
        var smallPool = Math.Min(settings.MaxPoolSize, Math.Max(4, 2 * Environment.ProcessorCount));

        // Searches must ask the GIN index: planned without the query in hand (a generic plan), or from the documents'
        // small rows in the table (their text is stored apart, and reading it back costs more than the planner counts),
        // a search tested every document against the query instead. Their connections start with the settings that
        // prevent both, so no statement sets them. Searches take turns, a few at a time: a small pool is enough.
        var search = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Options = $"{settings.Options} -c plan_cache_mode=force_custom_plan -c enable_seqscan=off".Trim(),
            MaxPoolSize = smallPool,
            MinPoolSize = 0,
        };
        SearchDataSource = NpgsqlDataSource.Create(search);

        // Public page reads are one small query each, and many arrive at once: sent one per connection, each wakes a
        // server process and a client thread, and that switching, not the query, was most of a read's cost. Multiplexed,
        // the reads in flight share a few connections and go out and come back together. Writes keep their own
        // connections (a transaction holds its connection; multiplexing gains nothing there).
        var pages = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            MaxPoolSize = smallPool,
            MinPoolSize = 0,
        };
        if (!connectionString.Contains("Multiplexing", StringComparison.OrdinalIgnoreCase))
        {
            pages.Multiplexing = true;
        }

        PageDataSource = NpgsqlDataSource.Create(pages);
    }

    public NpgsqlDataSource DataSource { get; }

    private NpgsqlDataSource SearchDataSource { get; }

    private NpgsqlDataSource PageDataSource { get; }

    public override async Task<ReadSession> OpenReadSessionAsync(CancellationToken cancellationToken = default) =>
        new(await PageDataSource.OpenConnectionAsync(cancellationToken), release: null);

    /// <summary>A pooled connection for a search (planned to use the search index).</summary>
    public async Task<DbConnection> OpenSearchAsync(CancellationToken cancellationToken) =>
        await SearchDataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public override Task<DbConnection> OpenWriterAsync(CancellationToken cancellationToken = default) => OpenAsync(cancellationToken);

    // A writer's turn is taken with its transaction (BeginWriteAsync); what writes outside one (a key's last use) needs none.
    public override async Task<DbConnection?> TryOpenWriterAsync(TimeSpan wait, CancellationToken cancellationToken = default) =>
        await OpenAsync(cancellationToken);

    internal override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"SET LOCAL lock_timeout = {(long)BusyTimeout.TotalMilliseconds}; SELECT pg_advisory_xact_lock(@WriteLock)",
                new { WriteLock }, transaction, cancellationToken: cancellationToken));
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public override bool IsUnavailable(Exception exception) => exception switch
    {
        // The write lock waited for its whole timeout; or the server is down, restarting or refusing connections.
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections } => true,
        NpgsqlException { IsTransient: true } => true,
        _ => false,
    };

    public override bool CompressesLargeValues => true;

    public override string Describe() => $"PostgreSQL {settings.Host}:{settings.Port}/{settings.Database}";

    public async ValueTask DisposeAsync()
    {
        await PageDataSource.DisposeAsync();
        await SearchDataSource.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
