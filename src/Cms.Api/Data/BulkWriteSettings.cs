using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>
/// Settings for one bulk write (an import) on a connection, until disposed:
/// <list type="bullet">
/// <item>a page cache of 256 MB instead of SQLite's default: a bulk write touches index pages all over the file, and with
/// the default cache it re-reads and spills them constantly;</item>
/// <item>no automatic checkpoint inside the commit: the caller runs <see cref="Checkpoint"/> after it, while the search
/// indexer commits the same write's entries on its own thread: side by side instead of one after the other, the write
/// answers sooner.
/// The connection keeps its write turn meanwhile, so the next write starts on a checkpointed WAL, from its start. The
/// checkpoint also truncates the log (readers allowing), so a large import does not leave one of its size behind.</item>
/// </list>
/// </summary>
internal sealed class BulkWriteSettings : IDisposable
{
    private readonly SqliteConnection connection;

    public BulkWriteSettings(SqliteConnection connection)
    {
        this.connection = connection;
        Run("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0");
    }

    /// <summary>
    /// Copies the committed WAL into the database file and empties the log. It never waits for readers: one still reading
    /// from the log leaves it as it is, to be cut back (journal_size_limit) when the next write starts it over.
    /// </summary>
    public void Checkpoint() => Run("PRAGMA wal_checkpoint(TRUNCATE)");

    public void Dispose()
    {
        Run("PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA wal_autocheckpoint = 1000; PRAGMA shrink_memory");
        NativeMemory.ReturnFreedToSystem();
    }

    private void Run(string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }
}
