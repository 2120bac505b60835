using System.Data.Common;

namespace Cms.Api.Data;

/// <summary>
/// The CMS's database, whichever engine holds it (<see cref="SqliteDatabase"/>, the default, or
/// <see cref="Postgres.PostgresDatabase"/>): connections for reads, and for writes one writer at a time. Stores see only
/// this; what differs between the engines stays in their classes.
/// </summary>
public abstract class CmsDatabase
{
    private readonly Lock registering = new();
    private volatile Func<WriteTransaction, Task>[] beforeCommit = [];
    private volatile Func<WriteTransaction, Task>[] lastBeforeCommit = [];

    /// <summary>
    /// Raised the moment a write commits, with the public views it changed (surrogate keys; "*" for all), before the write
    /// answers anyone: caches evict them here, so no one who saw the answer can be served what it replaced.
    /// </summary>
    public event Action<IReadOnlyCollection<string>>? ChangesCommitted;

    internal void Announce(IReadOnlyCollection<string> changed) => ChangesCommitted?.Invoke(changed);

    /// <summary>
    /// Adds work every write does last, inside its transaction: data derived from what the write changed (a rendered page)
    /// is brought up to date in the same commit. It must not fail the write for its own faults: it logs them and leaves
    /// the derived data to be redone. <paramref name="last"/> work runs after all the rest, which may add to what it
    /// writes (the outbox writes the events the other work emitted).
    /// </summary>
    internal void BeforeEveryCommit(Func<WriteTransaction, Task> work, bool last = false)
    {
        lock (registering)
        {
            if (last)
            {
                lastBeforeCommit = [.. lastBeforeCommit, work];
            }
            else
            {
                beforeCommit = [.. beforeCommit, work];
            }
        }
    }

    internal IEnumerable<Func<WriteTransaction, Task>> BeforeCommit => beforeCommit.Concat(lastBeforeCommit);

    /// <summary>A pooled connection for reads.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>A session for reads that repeat the same statements (see <see cref="ReadSession"/>).</summary>
    public virtual async Task<ReadSession> OpenReadSessionAsync(CancellationToken cancellationToken = default) =>
        new(await OpenAsync(cancellationToken), release: null);

    /// <summary>
    /// A connection for a write, once it is this writer's turn: it waits as long as a busy database is waited for, then
    /// fails as the engine reports a busy database (answered 503).
    /// </summary>
    public abstract Task<DbConnection> OpenWriterAsync(CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="OpenWriterAsync"/>, but gives up (null) after <paramref name="wait"/>.</summary>
    public abstract Task<DbConnection?> TryOpenWriterAsync(TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Begins a write's transaction on a writer's connection: the write sees and changes the database alone.</summary>
    internal abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Whether this failure is the database being busy or out of reach for now (a long write holds it, the server
    /// restarts): answered 503 with Retry-After, never 500.
    /// </summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>The engine and where its data is, for the start-up log (never a password).</summary>
    public abstract string Describe();

    /// <summary>
    /// Whether the engine compresses large values by itself (PostgreSQL's TOAST does); where it does not, the code
    /// compresses what is large and rarely changed itself (rendered pages).
    /// </summary>
    public abstract bool CompressesLargeValues { get; }
}
