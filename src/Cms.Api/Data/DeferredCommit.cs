namespace Cms.Api.Data;

/// <summary>
/// An idempotent request's write, kept open after its store is done, so that the request records its answer in the same
/// transaction: "committed" and "recorded" are then one fact, and a retry after a crash finds either both or neither.
/// Begun by the request (Idempotency/), it adopts the first write that commits under it; the write's connection keeps the
/// write turn until the request commits or rolls it back. Other writes run as usual: a second one of the same request, and
/// group commits, which hold other requests' posts too (they <see cref="Suppress"/> it).
/// </summary>
public sealed class DeferredCommit : IAsyncDisposable
{
    private static readonly AsyncLocal<DeferredCommit?> Current = new();

    private WriteTransaction? adopted;
    private List<Func<Task>>? whenCommitted;
    private bool ended;

    private DeferredCommit()
    {
    }

    /// <summary>Whether a write of this request is waiting to commit.</summary>
    public bool HasWrite => adopted is not null;

    /// <summary>Begins deferring for the rest of the calling request.</summary>
    public static DeferredCommit Begin()
    {
        var deferred = new DeferredCommit();
        Current.Value = deferred;
        return deferred;
    }

    /// <summary>Commits writes made under it as usual (a batch of several requests' writes is none of one request's business).</summary>
    public static IDisposable Suppress()
    {
        var outer = Current.Value;
        Current.Value = null;
        return new Restore(outer);
    }

    /// <summary>Runs <paramref name="action"/> now, or, while this request's write waits to commit, right after it commits.</summary>
    public static Task WhenCommittedAsync(Func<Task> action)
    {
        if (Current.Value is { adopted: not null, ended: false } deferred)
        {
            (deferred.whenCommitted ??= []).Add(action);
            return Task.CompletedTask;
        }

        return action();
    }

    internal static bool TryAdopt(WriteTransaction write)
    {
        if (Current.Value is not { adopted: null, ended: false } deferred)
        {
            return false;
        }

        deferred.adopted = write;
        return true;
    }

    /// <summary>Runs <paramref name="record"/> in the waiting write's transaction, then commits it and what follows.</summary>
    internal async Task CommitAsync(Func<WriteTransaction, Task> record)
    {
        var write = adopted ?? throw new InvalidOperationException("No write is waiting to commit.");
        await record(write);
        await write.CommitNowAsync();
        foreach (var action in whenCommitted ?? [])
        {
            await action();
        }
    }

    /// <summary>Ends the waiting write: rolled back unless it committed. The request's later writes commit as usual.</summary>
    public async ValueTask DisposeAsync()
    {
        // Ended, not removed: an async method cannot take a value out of its caller's flow, so later writes of the request
        // still see this one, and must find it closed.
        ended = true;
        if (adopted is { } write)
        {
            adopted = null;
            await write.EndAsync();
        }
    }

    private sealed class Restore(DeferredCommit? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }
}
