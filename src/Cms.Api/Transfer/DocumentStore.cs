using Cms.Api.Data;
using Cms.Api.Search;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Transfer;

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

    private const string InsertArticle = """
        INSERT INTO articles (slug, title, standfirst, byline, status, publish_at, published_at, comments_open, created_at, updated_at, version)
        VALUES (@Slug, @Title, @Standfirst, @Byline, @Status, @PublishAt, @PublishedAt, @CommentsOpen, @Now, @Now, 1)
        """;

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

    /// <summary>Creates the article, replaces it when anything differs, or leaves it alone (no version bump) when identical.</summary>
    public async Task<(Change Change, long Id)> UpsertAsync(string slug, ArticleDocument document, DateTimeOffset now, SectionText? sectionText = null)
    {
        var sections = document.Sections ?? [];
        var quotes = document.PullQuotes ?? [];
        if (FindArticleId(slug) is null)
        {
            var (status, publishAt, publishedAt, commentsOpen) = StoredDocuments.NewRow(document, now);
            var id = InsertArticleStatement.Insert(slug, document.Title, document.Standfirst, document.Byline, status, publishAt, publishedAt, commentsOpen, now);
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

        var existing = await StoredDocuments.UpdateAsync(connection, transaction, slug, document, now);
        if (!existing.Changed)
        {
            return (Change.Unchanged, existing.Id);
        }

        if (existing.PartsDiffer)
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
