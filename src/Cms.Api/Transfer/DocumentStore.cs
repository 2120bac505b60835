using Cms.Api.Caching;
using Cms.Api.Articles;
using Cms.Api.Data;
using Cms.Api.Search;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Transfer;

internal enum Change
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>
/// Writes whole article documents and bundle comments inside a caller's transaction, so one upsert or a whole
/// import commits (or rolls back) as one. One instance per transaction: it keeps its INSERTs prepared and the
/// article ids it has seen, because an import runs them hundreds of thousands of times. Commit through
/// <see cref="CommitAsync"/>: it records the last changes for the search index, commits, and then commits the
/// search entries, which the indexer has been writing on its own thread meanwhile (<see cref="SearchBatch"/>).
/// Create it holding the write turn, before writing anything; without an indexer for a dry run (never committed),
/// which then costs the indexer nothing.
/// </summary>
internal sealed partial class DocumentStore(WriteTransaction write, SearchIndexer? indexer) : IDisposable
{
    private readonly SqliteConnection connection = (SqliteConnection)write.Connection;
    private readonly SqliteTransaction transaction = (SqliteTransaction)write.Transaction;
    private readonly PreparedCommands prepared = new((SqliteConnection)write.Connection, (SqliteTransaction)write.Transaction);
    private readonly SearchBatch? search = indexer?.BeginBatch();

    // Once committing, the search batch ends with the write (committed or rolled back with it), not with this store.
    private bool searchHandedOver;
    private readonly Dictionary<string, long> articleIds = new(StringComparer.Ordinal);
    private readonly List<long> unrecorded = [];
    private List<SearchText> unsent = [];

    private const string SelectArticle =
        "SELECT id, slug, title, standfirst, byline, status, publish_at, published_at, created_at, updated_at, version, comments_open FROM articles WHERE slug = @Slug";

    private const string SelectSections = "SELECT heading AS Heading, body AS Body FROM sections WHERE article_id = @Id ORDER BY position";

    private const string SelectPullQuotes = """
        SELECT q.text AS Text, q.attribution AS Attribution, s.position AS Section, q.after_paragraph AS AfterParagraph
        FROM pull_quotes q LEFT JOIN sections s ON s.id = q.section_id
        WHERE q.article_id = @Id ORDER BY q.id
        """;

    private const string InsertArticle = """
        INSERT INTO articles (slug, title, standfirst, byline, status, publish_at, published_at, comments_open, created_at, updated_at, version)
        VALUES (@Slug, @Title, @Standfirst, @Byline, @Status, @PublishAt, @PublishedAt, @CommentsOpen, @Now, @Now, 1)
        """;

    private const string UpdateArticle = """
        UPDATE articles SET title = @Title, standfirst = @Standfirst, byline = @Byline, status = @Status, publish_at = @PublishAt,
            published_at = @PublishedAt, comments_open = @CommentsOpen, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string DeleteParts = "DELETE FROM pull_quotes WHERE article_id = @Id; DELETE FROM sections WHERE article_id = @Id";

    // A replaced document's text as the index must see it: sections in the order they were created (migration 0007).
    private const string SelectSearchText = $"SELECT id AS Id, {SearchIndex.Columns} FROM articles_search WHERE id = @Id";

    private const string PruneChanges = "DELETE FROM search_changes WHERE id <= @Applied";

    // New articles' changes are recorded this many at a time, in one statement (SearchIndex.RecordChanges).
    private const int RecordBatch = 1000;

    // New articles' text goes to the indexer's thread this many at a time: one hand-over (a thread wake-up) per article
    // was measurable.
    private const int SendBatch = 256;

    private const string InsertSection = """
        INSERT INTO sections (article_id, position, heading, body, created_at, updated_at, version)
        VALUES (@ArticleId, @Position, @Heading, @Body, @Now, @Now, 1)
        """;

    private const string InsertPullQuote = """
        INSERT INTO pull_quotes (article_id, section_id, text, attribution, after_paragraph, created_at, updated_at, version)
        VALUES (@ArticleId, @SectionId, @Text, @Attribution, @AfterParagraph, @Now, @Now, 1)
        """;

    private const string SelectArticleId = "SELECT id FROM articles WHERE slug = @Slug";

    /// <summary>Upserts one whole article in a write transaction of its own (PUT by slug).</summary>
    public static async Task<Change> UpsertOneAsync(
        CmsDatabase database, SearchIndexer? search, string slug, ArticleDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        NotOnThisEngineException.RequireSqlite(database, "Upsert by slug");
        await using var write = await database.BeginWriteAsync(cancellationToken);
        using var documents = new DocumentStore(write, search);
        var (change, id) = await documents.UpsertAsync(slug, document, now);
        write.Changed(SurrogateKeys.Article(id), SurrogateKeys.Lists);
        await documents.CommitAsync();
        return change;
    }

    /// <summary>Creates the article, replaces it when anything differs, or leaves it alone (no version bump) when identical.</summary>
    public async Task<(Change Change, long Id)> UpsertAsync(string slug, ArticleDocument document, DateTimeOffset now, SectionText? sectionText = null)
    {
        var status = document.Status ?? ArticleStatus.Draft;
        var statusText = ArticleStatuses.ToText(status);
        var publishAt = status == ArticleStatus.Scheduled ? document.PublishAt : null;
        var sections = document.Sections ?? [];
        var quotes = document.PullQuotes ?? [];
        var commentsOpen = document.CommentsOpen ?? true;

        if (FindArticleId(slug) is null)
        {
            var id = InsertArticleStatement.Insert(slug, document.Title, document.Standfirst, document.Byline, statusText, publishAt, document.PublishedAt ?? (status == ArticleStatus.Published ? now : null), commentsOpen, now);
            articleIds[slug] = id;
            newestCreatedArticle = id;
            newestArticleComments.Clear();
            InsertParts(id, sections, quotes, now);
            if (search is not null)
            {
                var text = sectionText ?? SectionText.Of(document);
                unsent.Add(new SearchText(id, document.Title, document.Standfirst, document.Byline, text.Headings, text.Bodies));
                if (unsent.Count == SendBatch)
                {
                    SendNewArticles();
                }
            }

            unrecorded.Add(id);
            if (unrecorded.Count == RecordBatch)
            {
                RecordNewArticles();
            }

            return (Change.Created, id);
        }

        var existing = await connection.QuerySingleAsync<ArticleRow>(SelectArticle, new { Slug = slug }, transaction);
        var storedSections = (await connection.QueryAsync<SectionDocument>(SelectSections, new { existing.Id }, transaction)).AsList();
        var storedQuotes = (await connection.QueryAsync<PullQuoteDocument>(SelectPullQuotes, new { existing.Id }, transaction)).AsList();
        var publishedAt = document.PublishedAt ?? existing.PublishedAt ?? (status == ArticleStatus.Published ? now : null);
        var partsSame = storedSections.SequenceEqual(sections) && storedQuotes.SequenceEqual(quotes);
        if (partsSame && existing.Title == document.Title && existing.Standfirst == document.Standfirst && existing.Byline == document.Byline
            && existing.Status == statusText && existing.PublishAt == publishAt && existing.PublishedAt == publishedAt
            && existing.CommentsOpen == commentsOpen)
        {
            return (Change.Unchanged, existing.Id);
        }

        await connection.ExecuteAsync(UpdateArticle, new
        {
            existing.Id,
            document.Title,
            document.Standfirst,
            document.Byline,
            Status = statusText,
            PublishAt = publishAt,
            PublishedAt = publishedAt,
            CommentsOpen = commentsOpen,
            Now = now,
        }, transaction);
        if (!partsSame)
        {
            DeletePartsStatement.Execute(existing.Id);
            InsertParts(existing.Id, sections, quotes, now);
        }

        RecordChangeStatement.Execute(existing.Id);
        if (search is not null)
        {
            SendNewArticles(); // the indexer applies hand-overs in the order of the writes
            search.Put(SearchText.ReadAll(connection, transaction, SelectSearchText, ("@Id", existing.Id)), replaces: true);
        }

        return (Change.Updated, existing.Id);
    }

    /// <summary>
    /// Records the last new articles' changes and commits; their search entries are committed right after the database
    /// commits (or rolled back with it), before the write answers: the only way a writer should commit.
    /// <paramref name="whileIndexing"/> runs after the database's commit, while the indexer commits on its own thread (a
    /// bulk write's checkpoint).
    /// </summary>
    public async Task CommitAsync(Action? whileIndexing = null)
    {
        if (indexer is null || search is null)
        {
            throw new InvalidOperationException("A document store without a search indexer is for dry runs, which never commit.");
        }

        RecordNewArticles();
        SendNewArticles();
        PruneChangesStatement.Execute(indexer.Applied); // what the index has applied is kept no longer
        var upTo = LastChangeStatement.ScalarLong() ?? 0;
        var batch = search;
        searchHandedOver = true;
        write.AfterCommit(async () =>
        {
            var indexed = batch.CommitAsync(upTo);
            try
            {
                whileIndexing?.Invoke();
            }
            finally
            {
                await indexed;
            }
        });
        write.AfterRollback(batch.Dispose);
        await write.CommitAsync();
    }

    private void SendNewArticles()
    {
        if (unsent.Count > 0)
        {
            search?.Put(unsent, replaces: false);
            unsent = [];
        }
    }

    private void RecordNewArticles()
    {
        if (unrecorded.Count > 0)
        {
            RecordChangesStatement.Execute("[" + string.Join(',', unrecorded) + "]");
            unrecorded.Clear();
        }
    }

    public bool ArticleExists(string slug) => FindArticleId(slug) is not null;

    private long? FindArticleId(string slug)
    {
        if (articleIds.TryGetValue(slug, out var known))
        {
            return known;
        }

        // Only found ids are remembered: articles are never deleted inside a document write.
        var id = SelectArticleIdStatement.ScalarLong(slug);
        if (id is { } found)
        {
            articleIds[slug] = found;
        }

        return id;
    }

    private void InsertParts(long articleId, IReadOnlyList<SectionDocument> sections, IReadOnlyList<PullQuoteDocument> quotes, DateTimeOffset now)
    {
        var sectionIds = new List<long>(sections.Count);
        for (var i = 0; i < sections.Count; i++)
        {
            sectionIds.Add(InsertSectionStatement.Insert(articleId, i + 1, sections[i].Heading, sections[i].Body, now));
        }

        foreach (var quote in quotes)
        {
            InsertPullQuoteStatement.Execute(articleId, quote.Section is { } position ? sectionIds[position - 1] : null, quote.Text, quote.Attribution, quote.AfterParagraph, now);
        }
    }

    public void Dispose()
    {
        if (!searchHandedOver)
        {
            search?.Dispose();
        }

        prepared.Dispose();
    }
}
