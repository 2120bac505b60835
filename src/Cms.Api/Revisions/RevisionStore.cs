using Cms.Api.Articles;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Transfer;

namespace Cms.Api.Revisions;

/// <summary>Reads an article's revisions, and restores one: the document written back as an upsert writes it.</summary>
internal sealed class RevisionStore(CmsDatabase database, DocumentWriters writers, RevisionRecorder recorder, TimeProvider clock)
{
    public const string Sort = "revisions";

    private const string Columns = """
        article_id AS ArticleId, number AS Number, version AS Version, document AS Document, created_at AS CreatedAt,
        key_name AS KeyName, deleted_at AS DeletedAt
        """;

    private const string SelectPage = $"""
        SELECT {Columns} FROM article_revisions WHERE article_id = @ArticleId AND number < @Before ORDER BY number DESC LIMIT @Fetch
        """;

    private const string SelectOne = $"SELECT {Columns} FROM article_revisions WHERE article_id = @ArticleId AND number = @Number";
    private const string SelectLatestNumber = "SELECT MAX(number) FROM article_revisions WHERE article_id = @ArticleId";

    private const string SlugTaken = "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = @Slug AND id <> @Id)";
    private const string ChangeSlug = "UPDATE articles SET slug = @Slug, updated_at = @Now WHERE id = @Id";
    private const string NewVersion = "UPDATE articles SET version = version + 1, updated_at = @Now WHERE id = @Id";
    private const string MoveRevisions = "UPDATE article_revisions SET article_id = @To WHERE article_id = @From";

    /// <summary>A page of the article's revisions, newest first; null when the article has none (or never existed).</summary>
    public async Task<List<RevisionSummary>?> ListAsync(long articleId, ListParameters paging, CancellationToken cancellationToken)
    {
        var rows = await database.ListAsync<RevisionRow>(
            SelectPage, new { ArticleId = articleId, Before = paging.After?.Id ?? long.MaxValue, Fetch = paging.FetchCount }, cancellationToken);
        if (rows.Count == 0 && paging.After is null)
        {
            return null;
        }

        return rows.ConvertAll(r =>
        {
            var document = recorder.Deserialize(r.Document);
            return new RevisionSummary(
                r.Number, r.Version, r.CreatedAt, r.KeyName, document.Slug, document.Title,
                document.Status is { } status ? ArticleStatuses.ToText(status) : null, r.DeletedAt);
        });
    }

    public async Task<RevisionResponse?> FindAsync(long articleId, long number, CancellationToken cancellationToken) =>
        (await database.SingleOrDefaultAsync<RevisionRow>(SelectOne, new { ArticleId = articleId, Number = number }, cancellationToken)) is { } row
            ? ToResponse(row)
            : null;

    /// <summary>The latest revision's number, or null when the article has none.</summary>
    public Task<long?> LatestAsync(long articleId, CancellationToken cancellationToken) =>
        database.SingleOrDefaultAsync<long?>(SelectLatestNumber, new { ArticleId = articleId }, cancellationToken);

    /// <summary>
    /// Writes revision <paramref name="number"/>'s document back: fields, sections and pull-quotes exactly as they were
    /// (comments are not part of a document and stay as they are). A new version and a new revision when anything
    /// differs. An article deleted since is created again from it, with a new id that takes its revisions along
    /// (<paramref name="recreated"/> tells).
    /// </summary>
    public async Task<WriteResult<ArticleRow>> RestoreAsync(
        long articleId, long number, Func<ArticleRow, bool> precondition, Action<bool> recreated, CancellationToken cancellationToken)
    {
        await using var documents = await writers.BeginAsync(bulk: false, dryRun: false, cancellationToken);
        var write = documents.Write;
        if (await write.SingleOrDefaultAsync<RevisionRow>(SelectOne, new { ArticleId = articleId, Number = number }) is not { } revision)
        {
            return WriteResult<ArticleRow>.NotFound;
        }

        var document = recorder.Deserialize(revision.Document);
        var current = await write.SingleOrDefaultAsync<ArticleRow>(ArticleStore.SelectById, new { Id = articleId });
        if (current is not null && !precondition(current))
        {
            return WriteResult<ArticleRow>.Stale(current);
        }

        if (await write.ScalarAsync<bool>(SlugTaken, new { document.Slug, Id = articleId }))
        {
            return WriteResult<ArticleRow>.Conflict($"The slug '{document.Slug}' is now another article's; change that article's slug first.");
        }

        var now = Timestamps.Now(clock);
        var slugChanged = current is not null && current.Slug != document.Slug;
        if (slugChanged)
        {
            await write.ExecuteAsync(ChangeSlug, new { document.Slug, Id = articleId, Now = now });
        }

        var (change, id) = await documents.UpsertAsync(document.Slug!, document, now);
        if (change == Change.Unchanged && slugChanged)
        {
            await write.ExecuteAsync(NewVersion, new { Id = id, Now = now });
        }

        if (current is null)
        {
            await write.ExecuteAsync(MoveRevisions, new { From = articleId, To = id });
        }

        write.Changed(SurrogateKeys.Article(id), SurrogateKeys.Lists, SurrogateKeys.Search);
        if (current is not null)
        {
            write.Changed(SurrogateKeys.Article(articleId));
        }

        // Read once committed: PostgreSQL's document writer sends its rows in batches, the last of them as it commits.
        await documents.CommitAsync();
        var row = (await database.SingleOrDefaultAsync<ArticleRow>(ArticleStore.SelectById, new { Id = id }, CancellationToken.None))!;
        recreated(current is null);
        return change == Change.Unchanged && !slugChanged ? WriteResult<ArticleRow>.Unchanged(row) : WriteResult<ArticleRow>.Saved(row);
    }

    private RevisionResponse ToResponse(RevisionRow row) =>
        new(row.ArticleId, row.Number, row.Version, row.CreatedAt, row.KeyName, row.DeletedAt, recorder.Deserialize(row.Document));

    // Properties rather than a constructor: Dapper reads the timestamps' text through its type handler only into properties.
    private sealed class RevisionRow
    {
        public long ArticleId { get; init; }
        public long Number { get; init; }
        public long Version { get; init; }
        public string Document { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string? KeyName { get; init; }
        public DateTimeOffset? DeletedAt { get; init; }
    }
}
