using System.Collections.Concurrent;

namespace Cms.Api.Data;

/// <summary>
/// Group commit for many small writes that arrive together (readers' comments): items that arrive while a batch is being
/// written queue up, and the next of their writers writes them all in one transaction, with one commit and so one
/// fsync; if one of them fails, the batch is written again one item per transaction, so that one item's failure is its
/// own. Every result is given out only after that commit: an answer always means the item is on disk. The batch is
/// written by one call of <c>writeAll</c>, which returns one result per item, in order, so that it can send the items'
/// statements together (one round trip on PostgreSQL) where each must see those before it.
/// </summary>
internal sealed class GroupCommit<TItem, TResult>(CmsDatabase database, Func<WriteTransaction, IReadOnlyList<TItem>, Task<TResult[]>> writeAll)
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
        using var ownCommit = DeferredCommit.Suppress(); // the batch holds other requests' writes: it commits for all of them
        var results = await TryWriteTogetherAsync(batch) ?? await WriteEachAloneAsync(batch);
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

    // All items in one transaction, one commit. An item that throws spoils the whole transaction on PostgreSQL (a
    // savepoint per item would cost two more round trips each): the batch is rolled back and null returned.
    private async Task<(TResult? Result, Exception? Error)[]?> TryWriteTogetherAsync(List<Queued> batch)
    {
        var results = new (TResult? Result, Exception? Error)[batch.Count];
        try
        {
            await using var write = await database.BeginWriteAsync(CancellationToken.None);
            TResult[] written;
            try
            {
                written = await writeAll(write, batch.ConvertAll(q => q.Item));
            }
            catch (Exception) when (batch.Count > 1)
            {
                return null;
            }

            await write.CommitAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = (written[i], null);
            }
        }
        catch (Exception error)
        {
            Array.Fill(results, (default, error));
        }

        return results;
    }

    // After a failure, each item in a transaction of its own: one item's failure is its own.
    private async Task<(TResult? Result, Exception? Error)[]> WriteEachAloneAsync(List<Queued> batch)
    {
        var results = new (TResult? Result, Exception? Error)[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = (await TryWriteTogetherAsync([batch[i]]))![0];
        }

        return results;
    }

    private sealed class Queued(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
