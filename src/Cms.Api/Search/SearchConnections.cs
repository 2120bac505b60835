using System.Runtime.CompilerServices;
using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Search;

/// <summary>
/// Reading connections that can search: from their own pool, with the index's file attached as
/// <see cref="SearchIndex.Schema"/>. Never a writer's: a write transaction locks every file attached to its connection,
/// and would block the indexer writing the index.
/// </summary>
internal static class SearchConnections
{
    // Pooled connections keep what was attached to them: each is set up for search once.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Attached = [];

    private const long MappedBytes = 4L << 30;

    public static async Task<SqliteConnection> OpenSearchReaderAsync(this SqliteDatabase database, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenReaderAsync(cancellationToken);
        if (!Attached.TryGetValue(connection.Handle!, out _))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"ATTACH DATABASE @Path AS {SearchIndex.Schema}";
            command.Parameters.AddWithValue("@Path", database.SearchPath);
            await command.ExecuteNonQueryAsync(cancellationToken);
            // A search reads many pages of both files scattered over them (the matches' lists, the hits' rows and text):
            // mapped, they are read in place instead of copied by a system call each.
            command.Parameters.Clear();
            command.CommandText = $"PRAGMA main.mmap_size = {MappedBytes}; PRAGMA {SearchIndex.Schema}.mmap_size = {MappedBytes}";
            await command.ExecuteNonQueryAsync(cancellationToken);
            Attached.AddOrUpdate(connection.Handle!, database);
        }

        return connection;
    }
}
