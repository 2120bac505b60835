using Cms.Api.Data;

namespace Cms.Api.Search;

/// <summary>
/// Tells the engine's search that an article's searchable text changed (an article or a section was added), in the
/// writer's transaction. Edits and deletes need no call on either engine: triggers see them.
/// </summary>
internal abstract class SearchChanges
{
    public abstract Task RecordAsync(WriteTransaction write, long articleId);

    /// <summary>SQLite: the change goes in the search_changes log, which the indexer applies to the index's file.</summary>
    public sealed class Logged : SearchChanges
    {
        public override Task RecordAsync(WriteTransaction write, long articleId) =>
            write.ExecuteAsync(SearchIndex.RecordChange, new { Id = articleId });
    }

    /// <summary>PostgreSQL: triggers rewrite the article's search document in the statement that changed it.</summary>
    public sealed class Triggered : SearchChanges
    {
        public override Task RecordAsync(WriteTransaction write, long articleId) => Task.CompletedTask;
    }
}
