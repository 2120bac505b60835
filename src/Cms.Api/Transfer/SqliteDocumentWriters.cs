using Cms.Api.Data;
using Cms.Api.Search;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Transfer;

/// <summary>SQLite's whole-document writes: the <see cref="DocumentStore"/>, and for an import the bulk settings.</summary>
internal sealed class SqliteDocumentWriters(SqliteDatabase database, SearchIndexer search) : DocumentWriters
{
    public override async Task<DocumentWriter> BeginAsync(bool bulk, bool dryRun, CancellationToken cancellationToken)
    {
        // The bulk settings are for this write only: the connection goes back to the pool afterwards with SQLite's defaults.
        BulkWriteSettings? settings = null;
        var write = await database.BeginWriteAsync(cancellationToken, bulk ? connection => settings = new BulkWriteSettings((SqliteConnection)connection) : null);
        return new Writer(write, new DocumentStore(write, dryRun ? null : search), settings);
    }

    private sealed class Writer(WriteTransaction write, DocumentStore store, BulkWriteSettings? bulk) : DocumentWriter(write)
    {
        public override async ValueTask<(Change Change, long Id)> UpsertAsync(string slug, ArticleDocument document, DateTimeOffset now, SectionText? sectionText = null) =>
            await store.UpsertAsync(slug, document, now, sectionText);

        public override ValueTask<bool> ArticleExistsAsync(string slug) => ValueTask.FromResult(store.ArticleExists(slug));

        public override ValueTask<(Change Change, long Id)?> AddCommentAsync(CommentDocument comment, CommentFacts facts, long? parentId) =>
            ValueTask.FromResult(store.AddComment(comment, facts, parentId));

        public override Task CommitAsync() => store.CommitAsync(whileIndexing: bulk is null ? null : bulk.Checkpoint);

        public override async ValueTask DisposeAsync()
        {
            store.Dispose();
            await base.DisposeAsync();
        }
    }
}
