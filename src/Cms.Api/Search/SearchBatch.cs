namespace Cms.Api.Search;

/// <summary>
/// A whole-document writer's stream of search entries (see <see cref="SearchIndexer"/>). Entries go in as the rows are
/// written; <see cref="CommitAsync"/> after the database commits; disposing it uncommitted rolls the entries back.
/// </summary>
internal sealed class SearchBatch(SearchIndexer indexer, Task opened) : IDisposable
{
    private bool closed;

    /// <summary>Completes once the indexer has opened the batch (it applied what was committed before, first).</summary>
    public Task Opened => opened;

    /// <summary>Queues articles' text, in order; <paramref name="replaces"/> when the index may already hold their entries.</summary>
    public void Put(IReadOnlyList<SearchText> texts, bool replaces) => indexer.Add(texts, replaces);

    /// <summary>Commits the entries; <paramref name="upTo"/> is the last change the database committed with them.</summary>
    public Task CommitAsync(long upTo)
    {
        closed = true;
        return indexer.Close(upTo);
    }

    public void Dispose()
    {
        if (!closed)
        {
            closed = true;
            _ = indexer.Close(null);
        }
    }
}
