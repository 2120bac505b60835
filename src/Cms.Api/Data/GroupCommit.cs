using System.Collections.Concurrent;

namespace Cms.Api.Data;

/// <summary>
/// Group commit for many small writes that arrive together (readers' comments): items that arrive while a batch is being
/// written queue up, and the next of their writers writes them all in one transaction, each in its own savepoint (one
/// item's failure is its own), with one commit and so one fsync. Every result is given out only after that commit: an
/// answer always means the item is on disk.
/// </summary>
internal sealed class GroupCommit<TItem, TResult>(CmsDatabase database, Func<WriteTransaction, TItem, Task<TResult>> writeOne)
{
    private const int MaxBatch = 256;

    private readonly ConcurrentQueue<Queued> queued = new();
    private readonly SemaphoreSlim batchTurn = new(1, 1);

    public async Task<TResult> WriteAsync(TItem item)
    {
        var mine = new Queued(item);
        queued.Enqueue(mine);
        // Not cancellable: once queued, the item may be written by whoever holds the turn.
        await batchTurn.WaitAsync();
        try
        {
            while (!mine.Result.Task.IsCompleted)
            {
                var batch = new List<Queued>();
                while (batch.Count < MaxBatch && queued.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                await WriteBatchAsync(batch);
            }
        }
        finally
        {
            batchTurn.Release();
        }

        return await mine.Result.Task;
    }

    private async Task WriteBatchAsync(List<Queued> batch)
    {
        var results = new (TResult? Result, Exception? Error)[batch.Count];
        using var ownCommit = DeferredCommit.Suppress(); // the batch holds other requests' writes: it commits for all of them
        try
        {
            await using var write = await database.BeginWriteAsync(CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                await write.ExecuteAsync("SAVEPOINT item");
                try
                {
                    results[i] = (await writeOne(write, batch[i].Item), null);
                    await write.ExecuteAsync("RELEASE item");
                }
                catch (Exception error)
                {
                    // This item fails alone (its error reaches its own writer); the others in the batch go on.
                    await write.ExecuteAsync("ROLLBACK TO item; RELEASE item");
                    results[i] = (default, error);
                }
            }

            await write.CommitAsync();
        }
        catch (Exception error)
        {
            foreach (var item in batch)
            {
                item.Result.TrySetException(error);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].Error is { } error)
            {
                batch[i].Result.TrySetException(error);
            }
            else
            {
                batch[i].Result.TrySetResult(results[i].Result!);
            }
        }
    }

    private sealed class Queued(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
