using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>
/// The embedded engine: the CMS's SQLite file, with the settings every connection needs. SQLite allows one writer at
/// a time, and this process's writers take turns for it here.
/// </summary>
public class SqliteDatabase : CmsDatabase, IAsyncDisposable, IDisposable
{
    // Once per process, before SQLite's first use. Multi-thread mode: no mutex taken on every call, because here a
    // connection is only ever used by one thread at a time (as Microsoft.Data.Sqlite requires anyway). No memory
    // statistics: they take a global mutex on every allocation, and nothing here reads them. Both cost an import
    // CPU for nothing. If something opened a connection first, SQLite answers MISUSE and keeps its
    // defaults, which are correct, only slower.
    static SqliteDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    /// <summary>The log's size limit unless configured (Cms:Database:WalLimitMegabytes).</summary>
    public const long DefaultWalLimitBytes = 64L * 1024 * 1024;

    public SqliteDatabase(string connectionString, long walLimitBytes = DefaultWalLimitBytes)
    {
        this.walLimitBytes = walLimitBytes;
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Cascades (article → sections, pull-quotes, comments) rely on foreign keys being enforced.
            ForeignKeys = true,
            Pooling = true,
        };
        // A writer waits up to 'Default Timeout' seconds (30 unless the connection string says otherwise) for the lock.
        ConnectionString = builder.ToString();
        // Pools are kept per connection string: naming the cache mode SQLite uses anyway makes the readers' pool a separate one.
        readerConnectionString = new SqliteConnectionStringBuilder(ConnectionString) { Cache = SqliteCacheMode.Private }.ToString();
        DataSource = builder.DataSource;
        SearchPath = builder.DataSource + "-search";
        writeTimeout = builder.DefaultTimeout > 0 ? TimeSpan.FromSeconds(builder.DefaultTimeout) : Timeout.InfiniteTimeSpan;
    }

    // SQLite allows one writer at a time. Writers of this process queue here, in order and without polling,
    // instead of meeting SQLite's lock, where Microsoft.Data.Sqlite retries a busy statement by sleeping 150 ms:
    // under concurrent writes that sleep, not the work, set the latency.
    private readonly SemaphoreSlim writeTurn = new(1, 1);
    private readonly TimeSpan writeTimeout;
    private readonly string readerConnectionString;
    private readonly long walLimitBytes;

    // Pooled connections keep their settings: each writer is set up once.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> limitedWriters = [];

    public string ConnectionString { get; }

    public string DataSource { get; }

    /// <summary>The full-text index's own file, beside the database (cms.db-search for cms.db): see Search/SearchIndexer.cs.</summary>
    public string SearchPath { get; }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => await OpenSqliteAsync(cancellationToken);

    /// <summary>A connection to the database file, as its own type, for what only SQLite has.</summary>
    public Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken = default) => OpenAsync(ConnectionString, cancellationToken);

    public override bool CompressesLargeValues => false;

    public override string Describe() => DataSource is "" or ":memory:" ? $"SQLite {DataSource}" : $"SQLite {Path.GetFullPath(DataSource)}";

    /// <summary>
    /// Opens a connection for reading only, from a pool of its own: what is attached to these (the search index's file)
    /// never reaches a writer, whose BEGIN IMMEDIATE would lock every attached file, the index's among them. (Not opened
    /// read-only: a read-only connection closing last would leave the WAL for the next start to read back.)
    /// </summary>
    public Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken = default) => OpenAsync(readerConnectionString, cancellationToken);

    private async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = CreateConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Read sessions kept open with their compiled statements, two per core: SQLite reads on the calling thread, so more
    // than that are open at once only in a burst, and each open connection keeps a page cache of its own.
    private readonly ConcurrentBag<ReadSession> idleSessions = [];
    private readonly int maxIdleSessions = 2 * Environment.ProcessorCount;
    private int disposed;

    /// <summary>A read session kept open between requests, its statements compiled once (see <see cref="ReadSession"/>).</summary>
    public override async Task<ReadSession> OpenReadSessionAsync(CancellationToken cancellationToken = default) =>
        idleSessions.TryTake(out var session) ? session : new ReadSession(await OpenSqliteAsync(cancellationToken), Keep);

    private void Keep(ReadSession session)
    {
        if (Volatile.Read(ref disposed) != 0 || session.Failed || session.Connection.State != ConnectionState.Open || idleSessions.Count >= maxIdleSessions)
        {
            session.Close();
            return;
        }

        idleSessions.Add(session);
        if (Volatile.Read(ref disposed) != 0)
        {
            CloseIdleSessions(); // disposed meanwhile: nothing will take it
        }
    }

    private void CloseIdleSessions()
    {
        while (idleSessions.TryTake(out var session))
        {
            session.Close();
        }
    }

    /// <summary>Closes the kept read sessions (the last connection to close checkpoints the log into the file).</summary>
    public void Dispose()
    {
        Volatile.Write(ref disposed, 1);
        CloseIdleSessions();
        GC.SuppressFinalize(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A new, unopened connection (pooled by its connection string).</summary>
    protected virtual SqliteConnection CreateConnection(string connectionString) => new(connectionString);

    /// <summary>
    /// Opens a connection for a write: it waits for this process's write turn (as long as a busy SQLite lock would
    /// be waited for, then fails as SQLITE_BUSY, which the API answers with 503) and holds it until disposed.
    /// Another process (the `keys create` command) still meets SQLite's own lock.
    /// </summary>
    public override async Task<DbConnection> OpenWriterAsync(CancellationToken cancellationToken = default) =>
        await TryOpenWriterAsync(writeTimeout, cancellationToken)
        ?? throw new SqliteException("database is locked: other writes of this process held it for the whole timeout", SqliteBusy);

    /// <summary>Like <see cref="OpenWriterAsync"/>, but gives up (null) after <paramref name="wait"/>.</summary>
    public override async Task<DbConnection?> TryOpenWriterAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (!await writeTurn.WaitAsync(wait, cancellationToken))
        {
            return null;
        }

        try
        {
            var connection = await OpenSqliteAsync(cancellationToken);
            if (!limitedWriters.TryGetValue(connection.Handle!, out _))
            {
                // When a checkpointed log starts over, it is cut back to this size instead of staying as large as it grew.
                await using var limit = connection.CreateCommand();
                limit.CommandText = $"PRAGMA journal_size_limit = {walLimitBytes}";
                await limit.ExecuteNonQueryAsync(cancellationToken);
                limitedWriters.AddOrUpdate(connection.Handle!, this);
            }

            var released = 0;
            connection.Disposed += (_, _) =>
            {
                if (Interlocked.Exchange(ref released, 1) == 0)
                {
                    writeTurn.Release();
                }
            };
            return connection;
        }
        catch
        {
            writeTurn.Release();
            throw;
        }
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public override bool IsUnavailable(Exception exception) => exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    /// <summary>
    /// Writes a consistent copy of the database to <paramref name="destination"/> (a new file) while others read and write:
    /// VACUUM INTO reads one snapshot, so the copy holds every write committed before it began and none after.
    /// </summary>
    public async Task BackupAsync(string destination, CancellationToken cancellationToken)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO @Destination";
        command.Parameters.AddWithValue("@Destination", destination);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a write transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE), so two writers
    /// never both read, then collide on upgrade with SQLITE_BUSY mid-change.
    /// </summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);

    internal override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(BeginWrite((SqliteConnection)connection));
}
