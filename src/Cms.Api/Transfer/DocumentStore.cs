using Cms.Api.Articles;
using Cms.Api.Comments;
using Cms.Api.Common;
using Cms.Api.Data;
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
/// import commits (or rolls back) as one.
/// </summary>
internal sealed class DocumentStore
{
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
        RETURNING id
        """;

    private const string UpdateArticle = """
        UPDATE articles SET title = @Title, standfirst = @Standfirst, byline = @Byline, status = @Status, publish_at = @PublishAt,
            published_at = @PublishedAt, comments_open = @CommentsOpen, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string DeleteParts = "DELETE FROM pull_quotes WHERE article_id = @Id; DELETE FROM sections WHERE article_id = @Id";

    private const string InsertSection = """
        INSERT INTO sections (article_id, position, heading, body, created_at, updated_at, version)
        VALUES (@ArticleId, @Position, @Heading, @Body, @Now, @Now, 1)
        RETURNING id
        """;

    private const string InsertPullQuote = """
        INSERT INTO pull_quotes (article_id, section_id, text, attribution, after_paragraph, created_at, updated_at, version)
        VALUES (@ArticleId, @SectionId, @Text, @Attribution, @AfterParagraph, @Now, @Now, 1)
        """;

    private const string FindComment = """
        SELECT id FROM comments
        WHERE article_id = @ArticleId AND name = @Name AND body = @Body AND created_at = @CreatedAt
        """;

    private const string SelectArticleId = "SELECT id FROM articles WHERE slug = @Slug";

    private const string InsertComment = """
        INSERT INTO comments (article_id, parent_id, name, email, website, body, body_hash, status, created_at, updated_at, version)
        VALUES (@ArticleId, @ParentId, @Name, @Email, @Website, @Body, @BodyHash, @Status, @CreatedAt, @CreatedAt, 1)
        RETURNING id
        """;

    /// <summary>Creates the article, replaces it when anything differs, or leaves it alone (no version bump) when identical.</summary>
    public static async Task<(Change Change, long Id)> UpsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, string slug, ArticleDocument document, DateTimeOffset now)
    {
        var status = document.Status ?? ArticleStatus.Draft;
        var statusText = ArticleStatuses.ToText(status);
        var publishAt = status == ArticleStatus.Scheduled ? document.PublishAt : null;
        var sections = document.Sections ?? [];
        var quotes = document.PullQuotes ?? [];
        var commentsOpen = document.CommentsOpen ?? true;

        var existing = await connection.QuerySingleOrDefaultAsync<ArticleRow>(SelectArticle, new { Slug = slug }, transaction);
        if (existing is null)
        {
            var id = await connection.ExecuteScalarAsync<long>(InsertArticle, new
            {
                Slug = slug,
                document.Title,
                document.Standfirst,
                document.Byline,
                Status = statusText,
                PublishAt = publishAt,
                PublishedAt = document.PublishedAt ?? (status == ArticleStatus.Published ? now : null),
                CommentsOpen = commentsOpen,
                Now = now,
            }, transaction);
            await InsertPartsAsync(connection, transaction, id, sections, quotes, now);
            return (Change.Created, id);
        }

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
            await connection.ExecuteAsync(DeleteParts, new { existing.Id }, transaction);
            await InsertPartsAsync(connection, transaction, existing.Id, sections, quotes, now);
        }

        return (Change.Updated, existing.Id);
    }

    /// <summary>
    /// Adds a bundle comment unless the same one (article, name, body, createdAt) is already there, so importing a
    /// bundle twice does not duplicate its comments. Returns null when the article does not exist.
    /// </summary>
    public static async Task<(Change Change, long Id)?> AddCommentAsync(
        SqliteConnection connection, SqliteTransaction transaction, CommentDocument comment, long? parentId, DateTimeOffset now)
    {
        var articleId = await connection.ExecuteScalarAsync<long?>(SelectArticleId, new { Slug = comment.Article }, transaction);
        if (articleId is null)
        {
            return null;
        }

        var createdAt = comment.CreatedAt ?? now;
        var existing = await connection.ExecuteScalarAsync<long?>(FindComment, new { ArticleId = articleId, comment.Name, comment.Body, CreatedAt = createdAt }, transaction);
        if (existing is { } id)
        {
            return (Change.Unchanged, id);
        }

        var newId = await connection.ExecuteScalarAsync<long>(InsertComment, new
        {
            ArticleId = articleId,
            ParentId = parentId,
            comment.Name,
            Email = string.IsNullOrEmpty(comment.Email) ? null : comment.Email,
            Website = string.IsNullOrEmpty(comment.Website) ? null : comment.Website,
            comment.Body,
            BodyHash = CommentText.Fingerprint(comment.Body!),
            Status = QueryValues.ToText(comment.Status ?? CommentStatus.Pending),
            CreatedAt = createdAt,
        }, transaction);
        return (Change.Created, newId);
    }

    public static async Task<bool> ArticleExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string slug) =>
        await connection.ExecuteScalarAsync<long?>(SelectArticleId, new { Slug = slug }, transaction) is not null;

    private static async Task InsertPartsAsync(
        SqliteConnection connection, SqliteTransaction transaction, long articleId,
        IReadOnlyList<SectionDocument> sections, IReadOnlyList<PullQuoteDocument> quotes, DateTimeOffset now)
    {
        var sectionIds = new List<long>(sections.Count);
        for (var i = 0; i < sections.Count; i++)
        {
            sectionIds.Add(await connection.ExecuteScalarAsync<long>(InsertSection, new
            {
                ArticleId = articleId,
                Position = i + 1,
                sections[i].Heading,
                sections[i].Body,
                Now = now,
            }, transaction));
        }

        foreach (var quote in quotes)
        {
            await connection.ExecuteAsync(InsertPullQuote, new
            {
                ArticleId = articleId,
                SectionId = quote.Section is { } position ? sectionIds[position - 1] : (long?)null,
                quote.Text,
                quote.Attribution,
                quote.AfterParagraph,
                Now = now,
            }, transaction);
        }
    }
}
