using Cms.Api.Caching;
using System.Globalization;
using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Comments;
using Cms.Api.Data;
using Cms.Api.Search;
using System.Data;
using Dapper;

namespace Cms.Api.Articles;

/// <summary>A stored article row; internal, mapped to <see cref="ArticleResponse"/> at the edge.</summary>
internal sealed class ArticleStore(CmsDatabase database, SearchChanges search, TimeProvider clock)
{
    internal const string Columns =
        "a.id, a.slug, a.title, a.standfirst, a.byline, a.status, a.publish_at, a.published_at, a.created_at, a.updated_at, a.version, a.comments_open";

    internal const string SelectById = $"SELECT {Columns} FROM articles a WHERE a.id = @Id";
    private const string SelectBySlug = $"SELECT {Columns} FROM articles a WHERE a.slug = @Slug";
    private const string SelectIdBySlug = "SELECT id FROM articles WHERE slug = @Slug";

    // Numeric references are ids, anything else a slug (slugs are never all digits).
    private const string TargetArticle = "(SELECT id FROM articles WHERE id = @Id UNION ALL SELECT id FROM articles WHERE slug = @Slug)";

    private const string SelectTarget = $"SELECT {Columns} FROM articles a WHERE a.id IN {TargetArticle}";

    private const string SelectTargetSections =
        $"SELECT {SectionStore.Columns} FROM sections s JOIN articles a ON a.id = s.article_id WHERE s.article_id IN {TargetArticle} ORDER BY s.position";

    private const string SelectTargetPullQuotes =
        $"SELECT {PullQuoteStore.Columns} FROM pull_quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id IN {TargetArticle} ORDER BY q.id";

    private static readonly string SelectTargetComments = CommentStore.SelectForPage(TargetArticle);

    // The base and every slug that starts with it and a hyphen (in byte order, '.' follows '-'): a superset of the
    // numbered ones, which is all FreeSlugAsync asks of it.
    private const string SelectSimilarSlugs = "SELECT slug FROM articles WHERE slug = @Base OR (slug > @Base || '-' AND slug < @Base || '.')";
    private const string SlugInUse = "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = @Slug AND id <> @Id)";

    private const string Insert = """
        INSERT INTO articles (slug, title, standfirst, byline, status, publish_at, published_at, comments_open, created_at, updated_at, version)
        VALUES (@Slug, @Title, @Standfirst, @Byline, @Status, @PublishAt, @PublishedAt, @CommentsOpen, @Now, @Now, 1)
        RETURNING id
        """;

    private const string Update = """
        UPDATE articles
        SET slug = @Slug, title = @Title, standfirst = @Standfirst, byline = @Byline, status = @Status,
            publish_at = @PublishAt, published_at = @PublishedAt, comments_open = @CommentsOpen, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string Delete = "DELETE FROM articles WHERE id = @Id";

    // publishedAt is the scheduled time: the moment the newsroom set for it to go live, even when the
    // publisher runs a little later (e.g. after a restart past that time).
    private const string PublishDue = """
        UPDATE articles
        SET status = 'published', published_at = COALESCE(published_at, publish_at), publish_at = NULL,
            updated_at = @Now, version = version + 1
        WHERE status = 'scheduled' AND publish_at <= @Now
        RETURNING id
        """;

    private const string NextDue = "SELECT MIN(publish_at) FROM articles WHERE status = 'scheduled'";

    /// <summary>The article by numeric id or slug (slugs are never all digits).</summary>
    public Task<ArticleRow?> FindAsync(string reference, CancellationToken cancellationToken) =>
        long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? database.SingleOrDefaultAsync<ArticleRow>(SelectById, new { Id = id }, cancellationToken)
            : database.SingleOrDefaultAsync<ArticleRow>(SelectBySlug, new { Slug = reference }, cancellationToken);

    /// <summary>
    /// The id an article reference names: digits are the id itself (no lookup; the write that follows answers 404 if
    /// there is no such article), a slug is looked up (null when no article has it).
    /// </summary>
    public async Task<long?> IdOfAsync(string reference, CancellationToken cancellationToken) =>
        long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : await database.SingleOrDefaultAsync<long?>(SelectIdBySlug, new { Slug = reference }, cancellationToken);

    /// <summary>
    /// The article and the parts asked for, in ONE command (several result sets), so a page costs one round
    /// trip however many parts it includes. Comments: at most <paramref name="commentLimit"/> + 1, oldest first.
    /// </summary>
    public async Task<ArticlePage?> FindPageAsync(
        string reference, ArticleIncludes includes, bool allComments, int commentLimit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadPageAsync(connection, null, reference, includes, allComments, commentLimit, cancellationToken);
    }

    /// <summary><see cref="FindPageAsync"/> on a connection the caller holds (a writer's, inside its transaction).</summary>
    public static async Task<ArticlePage?> ReadPageAsync(
        IDbConnection connection, IDbTransaction? transaction, string reference, ArticleIncludes includes, bool allComments, int commentLimit,
        CancellationToken cancellationToken)
    {
        var numeric = long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id);
        var sql = new List<string> { SelectTarget };
        if (includes.HasFlag(ArticleIncludes.Sections))
        {
            sql.Add(SelectTargetSections);
        }

        if (includes.HasFlag(ArticleIncludes.PullQuotes))
        {
            sql.Add(SelectTargetPullQuotes);
        }

        if (includes.HasFlag(ArticleIncludes.Comments))
        {
            sql.Add(SelectTargetComments);
        }

        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(string.Join(";\n", sql), new
        {
            Id = numeric ? id : (long?)null,
            Slug = numeric ? null : reference,
            AllComments = allComments,
            CommentFetch = commentLimit + 1,
        }, transaction, cancellationToken: cancellationToken));
        var article = await results.ReadSingleOrDefaultAsync<ArticleRow>();
        if (article is null)
        {
            return null;
        }

        var sections = includes.HasFlag(ArticleIncludes.Sections) ? (await results.ReadAsync<SectionRow>()).AsList() : null;
        var quotes = includes.HasFlag(ArticleIncludes.PullQuotes) ? (await results.ReadAsync<PullQuoteRow>()).AsList() : null;
        var comments = includes.HasFlag(ArticleIncludes.Comments) ? (await results.ReadAsync<CommentRow>()).AsList() : null;
        return new ArticlePage(article, sections, quotes, comments, commentLimit);
    }

    public async Task<WriteResult<ArticleRow>> CreateAsync(ArticleRequest request, CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var now = Timestamps.Now(clock);
        string slug;
        if (request.Slug is { } chosen)
        {
            if (await write.ScalarAsync<bool>(SlugInUse, new { Slug = chosen, Id = 0L }))
            {
                return SlugTaken(chosen);
            }

            slug = chosen;
        }
        else
        {
            slug = await FreeSlugAsync(write, Slugs.FromTitle(request.Title!));
        }

        var status = request.Status ?? ArticleStatus.Draft;
        var id = await write.ScalarAsync<long>(Insert, new
        {
            Slug = slug,
            request.Title,
            request.Standfirst,
            request.Byline,
            Status = ArticleStatuses.ToText(status),
            PublishAt = status == ArticleStatus.Scheduled ? request.PublishAt : null,
            PublishedAt = status == ArticleStatus.Published ? now : (DateTimeOffset?)null,
            CommentsOpen = request.CommentsOpen ?? true,
            Now = now,
        });
        await search.RecordAsync(write, id);
        var row = await write.SingleAsync<ArticleRow>(SelectById, new { Id = id });
        write.Changed(ChangedViews(row.Id, row.IsPublished));
        await write.CommitAsync();
        return WriteResult<ArticleRow>.Saved(row);
    }

    /// <summary>
    /// Replaces the writable fields with <paramref name="change"/>(current) if <paramref name="precondition"/>
    /// accepts the current row (If-Match); both run inside the write transaction.
    /// Writes nothing, and keeps the version, when nothing changed.
    /// </summary>
    public Task<WriteResult<ArticleRow>> UpdateAsync(
        long id, Func<ArticleRow, Proposed<ArticleRequest>> change, Func<ArticleRow, bool> precondition, CancellationToken cancellationToken) =>
        database.EditRowAsync<ArticleRow, ArticleRequest>(SelectById, id, precondition, change, async (write, current, request) =>
        {
            var slug = request.Slug ?? current.Slug;
            var status = request.Status is { } requested ? ArticleStatuses.ToText(requested) : current.Status;
            var publishAt = status == ArticleStatuses.Scheduled ? request.PublishAt ?? current.PublishAt : null;
            var commentsOpen = request.CommentsOpen ?? current.CommentsOpen;
            if (slug == current.Slug && request.Title == current.Title && request.Standfirst == current.Standfirst
                && request.Byline == current.Byline && status == current.Status && publishAt == current.PublishAt
                && commentsOpen == current.CommentsOpen)
            {
                return WriteResult<ArticleRow>.Unchanged(current);
            }

            if (slug != current.Slug && await write.ScalarAsync<bool>(SlugInUse, new { Slug = slug, Id = id }))
            {
                return SlugTaken(slug);
            }

            var now = Timestamps.Now(clock);
            await write.ExecuteAsync(Update, new
            {
                Id = id,
                Slug = slug,
                request.Title,
                request.Standfirst,
                request.Byline,
                Status = status,
                PublishAt = publishAt,
                // Set when first published, then kept: unpublishing and republishing does not move the date.
                PublishedAt = current.PublishedAt ?? (status == ArticleStatuses.Published ? now : null),
                CommentsOpen = commentsOpen,
                Now = now,
            });
            var row = await write.SingleAsync<ArticleRow>(SelectById, new { Id = id });
            write.Changed(ChangedViews(id, current.IsPublished || row.IsPublished));
            return WriteResult<ArticleRow>.Saved(row);
        }, cancellationToken);

    /// <summary>Deletes the article (its sections, pull-quotes and comments go with it, ON DELETE CASCADE).</summary>
    public Task<WriteResult<ArticleRow>> DeleteAsync(long id, Func<ArticleRow, bool> precondition, CancellationToken cancellationToken) =>
        database.ChangeRowAsync<ArticleRow>(SelectById, id, precondition, async (write, current) =>
        {
            await write.ExecuteAsync(Delete, new { Id = id });
            write.Changed(ChangedViews(id, current.IsPublished));
            return WriteResult<ArticleRow>.Saved(current);
        }, cancellationToken);

    /// <summary>
    /// The public views a change to the article alters: every view that shows it and, while it is (or was) published, every
    /// list and search it can appear in. A draft's changes alter nothing the public can see.
    /// </summary>
    private static IEnumerable<string> ChangedViews(long id, bool published) =>
        published ? [SurrogateKeys.Article(id), SurrogateKeys.Lists] : [SurrogateKeys.Article(id)];

    private static WriteResult<ArticleRow> SlugTaken(string slug) =>
        WriteResult<ArticleRow>.Conflict($"The slug '{slug}' is already used by another article. Choose another or omit it to derive one from the title.");

    /// <summary>Publishes every scheduled article that is due; returns how many, and when the next one is due.</summary>
    public async Task<(int Published, DateTimeOffset? NextDue)> PublishDueAsync(CancellationToken cancellationToken)
    {
        // A read first: a pass with nothing due takes no write turn from the requests (SQLite has one writer).
        var due = await database.SingleOrDefaultAsync<string?>(NextDue, null, cancellationToken);
        if (due is null || Timestamps.Parse(due) > Timestamps.Now(clock))
        {
            return (0, due is null ? null : Timestamps.Parse(due));
        }

        await using var write = await database.BeginWriteAsync(cancellationToken);
        var published = await write.ListAsync<long>(PublishDue, new { Now = Timestamps.Now(clock) });
        var next = await write.ScalarAsync<string?>(NextDue);
        write.Changed(published.SelectMany(id => ChangedViews(id, published: true)));
        await write.CommitAsync();
        return (published.Count, next is null ? null : Timestamps.Parse(next));
    }

    /// <summary>"my-title", or "my-title-2", "my-title-3"… when taken.</summary>
    private static async Task<string> FreeSlugAsync(WriteTransaction write, string baseSlug)
    {
        var taken = (await write.ListAsync<string>(SelectSimilarSlugs, new { Base = baseSlug })).ToHashSet();
        if (!taken.Contains(baseSlug))
        {
            return baseSlug;
        }

        var suffix = 2;
        while (taken.Contains($"{baseSlug}-{suffix}"))
        {
            suffix++;
        }

        return $"{baseSlug}-{suffix}";
    }
}
