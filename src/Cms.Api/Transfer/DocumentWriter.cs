using Cms.Api.Caching;
using Cms.Api.Data;

namespace Cms.Api.Transfer;

internal enum Change
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>
/// Whole article documents and bundle comments written in one write transaction, the engine's way (SQLite: prepared
/// statements and its search indexer; PostgreSQL: COPY in batches), so that an upsert by slug or a whole import commits
/// or rolls back as one. Begun by the engine's <see cref="DocumentWriters"/>; commit through <see cref="CommitAsync"/>.
/// </summary>
internal abstract class DocumentWriter(WriteTransaction write) : IAsyncDisposable
{
    public WriteTransaction Write => write;

    /// <summary>Creates the article, replaces it when anything differs, or leaves it alone (no version bump) when identical.</summary>
    public abstract ValueTask<(Change Change, long Id)> UpsertAsync(string slug, ArticleDocument document, DateTimeOffset now, SectionText? sectionText = null);

    public abstract ValueTask<bool> ArticleExistsAsync(string slug);

    /// <summary>
    /// Adds a bundle comment unless the same one (article, name, body, createdAt) is already there, so importing a
    /// bundle twice does not duplicate its comments. Null when the article does not exist.
    /// </summary>
    public abstract ValueTask<(Change Change, long Id)?> AddCommentAsync(CommentDocument comment, CommentFacts facts, long? parentId);

    public abstract Task CommitAsync();

    public virtual ValueTask DisposeAsync() => write.DisposeAsync();
}

/// <summary>Begins whole-document writes on the configured engine.</summary>
internal abstract class DocumentWriters
{
    /// <summary>
    /// Begins a write; <paramref name="bulk"/> for an import (settings for many rows), <paramref name="dryRun"/> for one
    /// that is never committed (nothing is prepared for after a commit).
    /// </summary>
    public abstract Task<DocumentWriter> BeginAsync(bool bulk, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Upserts one whole article in a write of its own (PUT by slug).</summary>
    public async Task<Change> UpsertOneAsync(string slug, ArticleDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var documents = await BeginAsync(bulk: false, dryRun: false, cancellationToken);
        var (change, id) = await documents.UpsertAsync(slug, document, now);
        documents.Write.Changed(SurrogateKeys.Article(id), SurrogateKeys.Lists);
        await documents.CommitAsync();
        return change;
    }
}
