using Cms.Api.Comments;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Search;
using Dapper;
using Npgsql;

namespace Cms.Api.Transfer;

/// <summary>
/// PostgreSQL's whole-document writes. New rows are kept in batches and sent with binary COPY, their ids drawn from the
/// tables' sequences beforehand (a section's id goes in its pull-quotes' rows, a comment's in its replies'). The write
/// sets cms.bulk_write, which stops the content triggers (migration 0012): each batch saves the search documents of
/// the articles it wrote, built from the documents in hand, and marks their pages due, in one statement each.
/// </summary>
internal sealed class PostgresDocumentWriters(CmsDatabase database) : DocumentWriters
{
    public override async Task<DocumentWriter> BeginAsync(bool bulk, bool dryRun, CancellationToken cancellationToken)
    {
        var write = await database.BeginWriteAsync(cancellationToken);
        try
        {
            await write.ExecuteAsync("SET LOCAL cms.bulk_write = 'on'");
            return new Writer(database, write, bulk);
        }
        catch
        {
            await write.DisposeAsync();
            throw;
        }
    }

    private sealed class Writer(CmsDatabase database, WriteTransaction write, bool bulk) : DocumentWriter(write)
    {
        // A batch is sent when it holds this many new articles or comments, and before anything must read what it holds.
        private const int BatchArticles = 1000;
        private const int BatchComments = 20_000;

        private readonly NpgsqlConnection connection = (NpgsqlConnection)write.Connection;
        private readonly CopyRows articles = new("articles", "id, slug, title, standfirst, byline, status, publish_at, published_at, comments_open, created_at, updated_at, version");
        private readonly CopyRows sections = new("sections", "id, article_id, position, heading, body, created_at, updated_at, version");
        private readonly CopyRows pullQuotes = new("pull_quotes", "id, article_id, section_id, text, attribution, after_paragraph, created_at, updated_at, version");
        private readonly CopyRows comments = new("comments", "id, article_id, parent_id, name, email, website, body, body_hash, status, created_at, updated_at, version, imported");
        private readonly Dictionary<string, long> articleIds = new(StringComparer.Ordinal);
        private readonly List<long> documentIds = [];
        private readonly List<string> documents = [];
        private readonly HashSet<long> pagesChanged = [];
        private bool documentsSaved;

        // The comments added to the article created last: an import lists an article's comments right after it, and a new
        // article has no others, so this answers "is it already there?" without a query (see DocumentStore.Comments).
        private long newestCreatedArticle;
        private readonly Dictionary<CommentKey, long> newestArticleComments = [];

        public override async ValueTask<(Change Change, long Id)> UpsertAsync(string slug, ArticleDocument document, DateTimeOffset now, SectionText? sectionText = null)
        {
            var stamp = Timestamps.ToText(now);
            long id;
            Change change;
            if (await FindArticleIdAsync(slug) is null)
            {
                var (status, publishAt, publishedAt, commentsOpen) = StoredDocuments.NewRow(document, now);
                id = await articles.NextIdAsync(connection);
                articles.Add(id, slug, document.Title, document.Standfirst, document.Byline, status, Text(publishAt), Text(publishedAt), commentsOpen, stamp, stamp, 1L);
                articleIds[slug] = id;
                newestCreatedArticle = id;
                newestArticleComments.Clear();
                await AddPartsAsync(id, document, stamp);
                change = Change.Created;
            }
            else
            {
                var existing = await StoredDocuments.UpdateAsync(connection, Write.Transaction, slug, document, now);
                id = existing.Id;
                if (!existing.Changed)
                {
                    return (Change.Unchanged, id);
                }

                if (existing.PartsDiffer)
                {
                    await Write.ExecuteAsync(StoredDocuments.DeleteParts, new { Id = id });
                    await AddPartsAsync(id, document, stamp);
                }

                change = Change.Updated;
            }

            var text = sectionText ?? SectionText.Of(document);
            documentIds.Add(id);
            documents.Add(SearchDocument.Build(document.Title!, document.Standfirst, document.Byline, text.Headings, text.Bodies));
            pagesChanged.Add(id);
            if (articles.Count >= BatchArticles)
            {
                await FlushAsync();
            }

            return (change, id);
        }

        public override async ValueTask<bool> ArticleExistsAsync(string slug) => await FindArticleIdAsync(slug) is not null;

        public override async ValueTask<(Change Change, long Id)?> AddCommentAsync(CommentDocument comment, CommentFacts facts, long? parentId)
        {
            if (await FindArticleIdAsync(comment.Article!) is not { } articleId)
            {
                return null;
            }

            var key = new CommentKey(comment.Name, comment.Body, facts.CreatedAt, facts.BodyHash);
            long? existing;
            if (articleId == newestCreatedArticle)
            {
                existing = newestArticleComments.TryGetValue(key, out var known) ? known : null;
            }
            else
            {
                await FlushAsync(); // the query must see the comments this write added
                existing = await Write.ScalarAsync<long?>(StoredDocuments.FindComment, new { ArticleId = articleId, comment.Name, comment.Body, facts.CreatedAt });
            }

            if (existing is { } found)
            {
                return (Change.Unchanged, found);
            }

            var id = await comments.NextIdAsync(connection);
            comments.Add(id, articleId, parentId, comment.Name, NullIfEmpty(comment.Email), NullIfEmpty(comment.Website), comment.Body,
                facts.BodyHash, QueryValues.ToText(comment.Status ?? CommentStatus.Pending), facts.CreatedAt, facts.CreatedAt, 1L, true);
            if (articleId == newestCreatedArticle)
            {
                newestArticleComments[key] = id;
            }

            pagesChanged.Add(articleId);
            if (comments.Count >= BatchComments)
            {
                await FlushAsync();
            }

            return (Change.Created, id);
        }

        public override async Task CommitAsync()
        {
            await FlushAsync();
            if (documentsSaved)
            {
                await Write.ExecuteAsync(SearchDocument.MergePending);
            }

            if (bulk)
            {
                // The planner's statistics, at once rather than at autovacuum's next round: a search planned without
                // them over a freshly imported archive tested every document instead of asking the index. Once the rows
                // are committed (the commit may be deferred, for an Idempotency-Key): statistics taken before, from
                // another connection, say the tables are empty.
                Write.AfterCommit(async () =>
                {
                    try
                    {
                        await using var connection = await database.OpenAsync(CancellationToken.None);
                        await connection.ExecuteAsync("ANALYZE articles, sections, pull_quotes, comments, article_search");
                    }
                    catch (Exception exception) when (database.IsUnavailable(exception))
                    {
                        // The import is committed; autovacuum analyzes the tables later.
                    }
                });
            }

            await Write.CommitAsync();
        }

        private async Task AddPartsAsync(long articleId, ArticleDocument document, string stamp)
        {
            var sectionIds = new List<long>();
            foreach (var section in document.Sections ?? [])
            {
                var id = await sections.NextIdAsync(connection);
                sections.Add(id, articleId, sectionIds.Count + 1L, section.Heading, section.Body, stamp, stamp, 1L);
                sectionIds.Add(id);
            }

            foreach (var quote in document.PullQuotes ?? [])
            {
                pullQuotes.Add(await pullQuotes.NextIdAsync(connection), articleId, quote.Section is { } position ? sectionIds[position - 1] : null,
                    quote.Text, quote.Attribution, quote.AfterParagraph, stamp, stamp, 1L);
            }
        }

        // In the order of the foreign keys; then what the triggers would have done, once for the whole batch.
        private async Task FlushAsync()
        {
            foreach (var rows in new[] { articles, sections, pullQuotes, comments })
            {
                await rows.CopyAsync(connection);
            }

            if (documentIds.Count > 0)
            {
                await Write.ExecuteAsync(SearchDocument.Save, new { Ids = documentIds.ToArray(), Documents = documents.ToArray() });
                documentsSaved = true;
                documentIds.Clear();
                documents.Clear();
            }

            if (pagesChanged.Count > 0)
            {
                await Write.ExecuteAsync("SELECT cms_pages_changed(@Ids)", new { Ids = pagesChanged.ToArray() });
                pagesChanged.Clear();
            }
        }

        private async Task<long?> FindArticleIdAsync(string slug)
        {
            if (articleIds.TryGetValue(slug, out var known))
            {
                return known;
            }

            // Only found ids are remembered: articles are never deleted inside a document write.
            var id = await Write.ScalarAsync<long?>("SELECT id FROM articles WHERE slug = @Slug", new { Slug = slug });
            if (id is { } found)
            {
                articleIds[slug] = found;
            }

            return id;
        }

        private static string? Text(DateTimeOffset? value) => value is { } time ? Timestamps.ToText(time) : null;

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
