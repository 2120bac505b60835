using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Data;

/// <summary>
/// The application's database with every command run counted (one per Dapper call, however many statements it carries), so
/// tests can prove a page is read in one round trip, or served from memory without one. Registered by the test host only.
/// </summary>
public sealed class CountingDatabase(string connectionString, long walLimitBytes) : SqliteDatabase(connectionString, walLimitBytes)
{
    private long commands;

    public long Commands => Interlocked.Read(ref commands);

    protected override SqliteConnection CreateConnection(string connectionString) => new CountingConnection(connectionString, this);

    private sealed class CountingConnection(string connectionString, CountingDatabase database) : SqliteConnection(connectionString)
    {
        private bool opening;

        // Opening runs commands of its own (PRAGMA foreign_keys): they are part of getting a connection, not of a read.
        public override void Open()
        {
            opening = true;
            try
            {
                base.Open();
            }
            finally
            {
                opening = false;
            }
        }

        // Every command is made here, whether asked for as a SqliteCommand or (Dapper) as a DbCommand; a kept one runs again.
        public override SqliteCommand CreateCommand() =>
            new CountingCommand(this) { Connection = this, CommandTimeout = DefaultTimeout, Transaction = Transaction };

        private void Count()
        {
            if (!opening)
            {
                Interlocked.Increment(ref database.commands);
            }
        }

        private sealed class CountingCommand(CountingConnection counted) : SqliteCommand
        {
            // Every way of running a command (reader, scalar, non-query, async or not) runs through here.
            public override SqliteDataReader ExecuteReader(System.Data.CommandBehavior behavior)
            {
                counted.Count();
                return base.ExecuteReader(behavior);
            }
        }
    }
}
