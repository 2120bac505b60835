using System.Data.Common;
using Cms.Api.Articles;
using Dapper;

namespace Cms.Api.Transfer;

/// <summary>
/// An existing article compared with a whole document and, when anything differs, its row brought up to date: the part
/// of an upsert that is the same on every engine. Replacing its sections and pull-quotes is the engine's writer's.
/// </summary>
internal static class StoredDocuments
{
    private const string SelectArticle =
        "SELECT id, slug, title, standfirst, byline, status, publish_at, published_at, created_at, updated_at, version, comments_open FROM articles WHERE slug = @Slug";

    private const string SelectSections = "SELECT heading AS Heading, body AS Body FROM sections WHERE article_id = @Id ORDER BY position";

    private const string SelectPullQuotes = """
        SELECT q.text AS Text, q.attribution AS Attribution, s.position AS Section, q.after_paragraph AS AfterParagraph
        FROM pull_quotes q LEFT JOIN sections s ON s.id = q.section_id
        WHERE q.article_id = @Id ORDER BY q.id
        """;

    private const string UpdateArticle = """
        UPDATE articles SET title = @Title, standfirst = @Standfirst, byline = @Byline, status = @Status, publish_at = @PublishAt,
            published_at = @PublishedAt, comments_open = @CommentsOpen, updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    /// <summary>A bundle comment already there: the same article, name, body and createdAt.</summary>
    public const string FindComment = """
        SELECT id FROM comments
        WHERE article_id = @ArticleId AND name = @Name AND body = @Body AND created_at = @CreatedAt
        """;

    public const string DeleteParts = "DELETE FROM pull_quotes WHERE article_id = @Id; DELETE FROM sections WHERE article_id = @Id";

    /// <summary>A new article's row values from its document.</summary>
    public static (string Status, DateTimeOffset? PublishAt, DateTimeOffset? PublishedAt, bool CommentsOpen) NewRow(ArticleDocument document, DateTimeOffset now)
    {
        var status = document.Status ?? ArticleStatus.Draft;
        return (ArticleStatuses.ToText(status), status == ArticleStatus.Scheduled ? document.PublishAt : null,
            document.PublishedAt ?? (status == ArticleStatus.Published ? now : null), document.CommentsOpen ?? true);
    }

    /// <summary>
    /// Updates the article named <paramref name="slug"/> to <paramref name="document"/> unless they are the same (no version
    /// bump then). Says whether it changed, and whether its sections or pull-quotes differ (the caller replaces them).
    /// </summary>
    public static async Task<(long Id, bool Changed, bool PartsDiffer)> UpdateAsync(
        DbConnection connection, DbTransaction transaction, string slug, ArticleDocument document, DateTimeOffset now)
    {
        var (status, publishAt, _, commentsOpen) = NewRow(document, now);
        var sections = document.Sections ?? [];
        var quotes = document.PullQuotes ?? [];
        var existing = await connection.QuerySingleAsync<ArticleRow>(SelectArticle, new { Slug = slug }, transaction);
        var storedSections = (await connection.QueryAsync<SectionDocument>(SelectSections, new { existing.Id }, transaction)).AsList();
        var storedQuotes = (await connection.QueryAsync<PullQuoteDocument>(SelectPullQuotes, new { existing.Id }, transaction)).AsList();
        var publishedAt = document.PublishedAt ?? existing.PublishedAt ?? (status == ArticleStatuses.Published ? now : null);
        var partsSame = storedSections.SequenceEqual(sections) && storedQuotes.SequenceEqual(quotes);
        if (partsSame && existing.Title == document.Title && existing.Standfirst == document.Standfirst && existing.Byline == document.Byline
            && existing.Status == status && existing.PublishAt == publishAt && existing.PublishedAt == publishedAt
            && existing.CommentsOpen == commentsOpen)
        {
            return (existing.Id, false, false);
        }

        await connection.ExecuteAsync(UpdateArticle, new
        {
            existing.Id,
            document.Title,
            document.Standfirst,
            document.Byline,
            Status = status,
            PublishAt = publishAt,
            PublishedAt = publishedAt,
            CommentsOpen = commentsOpen,
            Now = now,
        }, transaction);
        return (existing.Id, true, !partsSame);
    }
}
