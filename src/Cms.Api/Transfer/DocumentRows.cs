using Cms.Api.Articles;
using Dapper;

namespace Cms.Api.Transfer;

/// <summary>
/// Reads whole article documents as stored (the export's and the revisions' unit): the articles a filter picks, with
/// their sections in order and their pull-quotes, in three result sets of one command.
/// </summary>
internal static class DocumentRows
{
    /// <summary>
    /// The command for the articles <paramref name="from"/> picks: a FROM clause over <c>articles a</c> with its WHERE,
    /// ORDER BY and LIMIT, repeated as a sub-query for the articles' parts.
    /// </summary>
    public static string Select(string from) => $"""
        SELECT a.id AS Id, a.version AS Version, a.slug AS Slug, a.title AS Title, a.standfirst AS Standfirst, a.byline AS Byline,
               a.status AS Status, a.publish_at AS PublishAt, a.published_at AS PublishedAt, a.comments_open AS CommentsOpen
        FROM {from};
        SELECT s.article_id AS ArticleId, s.heading AS Heading, s.body AS Body
        FROM sections s WHERE s.article_id IN (SELECT a.id FROM {from})
        ORDER BY s.article_id, s.position;
        SELECT q.article_id AS ArticleId, q.text AS Text, q.attribution AS Attribution, s.position AS Section, q.after_paragraph AS AfterParagraph
        FROM pull_quotes q LEFT JOIN sections s ON s.id = q.section_id
        WHERE q.article_id IN (SELECT a.id FROM {from})
        ORDER BY q.article_id, q.id
        """;

    /// <summary>Reads the three result sets of <see cref="Select"/> into documents, in the articles' order.</summary>
    public static async Task<List<StoredDocument>> ReadAsync(SqlMapper.GridReader batch)
    {
        var articles = (await batch.ReadAsync<ArticleDocumentRow>()).AsList();
        var sections = (await batch.ReadAsync<SectionDocumentRow>()).ToLookup(r => r.ArticleId);
        var quotes = (await batch.ReadAsync<PullQuoteDocumentRow>()).ToLookup(r => r.ArticleId);
        return articles.ConvertAll(article => new StoredDocument(article.Id, article.Version, new ArticleDocument
        {
            Slug = article.Slug,
            Title = article.Title,
            Standfirst = article.Standfirst,
            Byline = article.Byline,
            Status = ArticleStatuses.Parse(article.Status),
            PublishAt = article.PublishAt,
            PublishedAt = article.PublishedAt,
            CommentsOpen = article.CommentsOpen,
            Sections = sections[article.Id].Select(r => new SectionDocument { Heading = r.Heading, Body = r.Body }).ToList(),
            PullQuotes = quotes[article.Id].Select(r => new PullQuoteDocument
            {
                Text = r.Text, Attribution = r.Attribution, Section = (int?)r.Section, AfterParagraph = (int?)r.AfterParagraph,
            }).ToList(),
        }));
    }

    // Properties rather than a constructor: Dapper converts into a property's type (comments_open is an integer on SQLite,
    // a boolean on PostgreSQL), but a constructor must match the columns' types exactly.
    private sealed class ArticleDocumentRow
    {
        public long Id { get; init; }
        public long Version { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Standfirst { get; init; }
        public string? Byline { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset? PublishAt { get; init; }
        public DateTimeOffset? PublishedAt { get; init; }
        public bool CommentsOpen { get; init; }
    }

    private sealed record SectionDocumentRow(long ArticleId, string? Heading, string Body);

    private sealed record PullQuoteDocumentRow(long ArticleId, string Text, string? Attribution, long? Section, long? AfterParagraph);
}

/// <summary>An article's document as stored, with its id and version.</summary>
internal sealed record StoredDocument(long Id, long Version, ArticleDocument Document);
