using System.Data.Common;
using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Data;

/// <summary>
/// The application's database with every command counted (one per Dapper call, however many statements it carries), so
/// tests can prove a page is read in one round trip, or served from memory without one. Registered by the test host only.
/// </summary>
public sealed class CountingDatabase(string connectionString, long walLimitBytes) : CmsDatabase(connectionString, walLimitBytes)
{
    private long commands;

    public long Commands => Interlocked.Read(ref commands);

    protected override SqliteConnection CreateConnection(string connectionString) => new CountingConnection(connectionString, this);

    private sealed class CountingConnection(string connectionString, CountingDatabase database) : SqliteConnection(connectionString)
    {
        protected override DbCommand CreateDbCommand()
        {
            Interlocked.Increment(ref database.commands);
            return base.CreateDbCommand();
        }
    }
}
