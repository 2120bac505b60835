using System.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>Opens connections to the CMS's SQLite database with the settings every connection needs.</summary>
public sealed class CmsDatabase
{
    public CmsDatabase(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Cascades (article → sections, pull-quotes, comments) rely on foreign keys being enforced.
            ForeignKeys = true,
            Pooling = true,
        };
        // A writer waits up to 'Default Timeout' seconds (30 unless the connection string says otherwise) for the lock.
        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string ConnectionString { get; }

    public string DataSource { get; }

    private long commandCount;

    /// <summary>
    /// Commands sent to the database since start: one per Dapper call, however many statements it carries.
    /// Lets tests prove a page is read in one round trip.
    /// </summary>
    public long CommandCount => Interlocked.Read(ref commandCount);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new CountingConnection(ConnectionString, this);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private sealed class CountingConnection(string connectionString, CmsDatabase database) : SqliteConnection(connectionString)
    {
        protected override System.Data.Common.DbCommand CreateDbCommand()
        {
            Interlocked.Increment(ref database.commandCount);
            return base.CreateDbCommand();
        }
    }

    /// <summary>
    /// Starts a write transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE), so two writers
    /// never both read, then collide on upgrade with SQLITE_BUSY mid-change.
    /// </summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
}
