using System.Data.Common;
using System.Globalization;
using Cms.Api.Caching;
using Cms.Api.Data;

namespace Cms.Api.Articles.Pages;

/// <summary>What a public read of an article found: no such public article, a page not rendered yet, or the page.</summary>
internal sealed record RenderedPage(byte[]? Json, DateTimeOffset? LastModified, IReadOnlyList<string> SurrogateKeys, bool Exists)
{
    public static readonly RenderedPage Missing = new(null, null, [], Exists: false);

    public static readonly RenderedPage NotRendered = new(null, null, [], Exists: true);
}

/// <summary>
/// Serves public article pages from what <see cref="PageRenderer"/> stored: one row read, the asked-for parts copied (or
/// decompressed, <see cref="StoredParts"/>) into one buffer, nothing serialized. The bytes are exactly those the page
/// serializes to when built from the tables, so its ETag is the same whichever way it was built.
/// </summary>
internal sealed class RenderedPages(CmsDatabase database)
{
    private const string Columns = """
        a.id, a.status, p.article, p.sections, p.pull_quotes, p.comments, p.comments_cursor,
        p.article_modified, p.sections_modified, p.pull_quotes_modified, p.comments_modified, p.section_keys, p.pull_quote_keys
        """;

    private const string SelectById = $"SELECT {Columns} FROM articles a LEFT JOIN article_pages p ON p.article_id = a.id WHERE a.id = @Id";
    private const string SelectBySlug = $"SELECT {Columns} FROM articles a LEFT JOIN article_pages p ON p.article_id = a.id WHERE a.slug = @Slug";

    private const int Id = 0, Status = 1, Article = 2, Sections = 3, PullQuotes = 4, Comments = 5, Cursor = 6;
    private const int ArticleModified = 7, SectionsModified = 8, PullQuotesModified = 9, CommentsModified = 10;
    private const int SectionKeys = 11, PullQuoteKeys = 12;

    public async Task<RenderedPage> ReadAsync(string reference, ArticleIncludes includes, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenReadSessionAsync(cancellationToken);
        return long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await session.ReadAsync(SelectById, "@Id", id, row => PageAsync(row, includes, cancellationToken), cancellationToken)
            : await session.ReadAsync(SelectBySlug, "@Slug", reference, row => PageAsync(row, includes, cancellationToken), cancellationToken);
    }

    private static async Task<RenderedPage> PageAsync(DbDataReader row, ArticleIncludes includes, CancellationToken cancellationToken)
    {
        if (!await row.ReadAsync(cancellationToken) || row.GetString(Status) != ArticleStatuses.Published)
        {
            return RenderedPage.Missing;
        }

        return row.IsDBNull(Article) ? RenderedPage.NotRendered : Assemble(row, includes);
    }

    private static RenderedPage Assemble(DbDataReader row, ArticleIncludes includes)
    {
        var articleId = row.GetInt64(Id);
        var keys = new List<string> { SurrogateKeys.Article(articleId) };
        var modified = Timestamps.Parse(row.GetString(ArticleModified));
        var parts = new List<(ReadOnlyMemory<byte> Prefix, int Column)> { (ReadOnlyMemory<byte>.Empty, Article) };
        if (includes.HasFlag(ArticleIncludes.Sections))
        {
            parts.Add((SectionsName, Sections));
            keys.AddRange(row.GetString(SectionKeys).Split(' ', StringSplitOptions.RemoveEmptyEntries));
            modified = Later(modified, row, SectionsModified);
        }

        if (includes.HasFlag(ArticleIncludes.PullQuotes))
        {
            parts.Add((PullQuotesName, PullQuotes));
            keys.AddRange(row.GetString(PullQuoteKeys).Split(' ', StringSplitOptions.RemoveEmptyEntries));
            modified = Later(modified, row, PullQuotesModified);
        }

        if (includes.HasFlag(ArticleIncludes.Comments))
        {
            parts.Add((CommentsName, Comments));
            if (!row.IsDBNull(Cursor))
            {
                parts.Add((CursorName, Cursor));
            }

            keys.Add(SurrogateKeys.ArticleComments(articleId));
            modified = Later(modified, row, CommentsModified);
        }

        // Each part read once, whole: asking a SQLite reader for a column's length or a slice of it looks up the table's
        // columns every time (it tries to open the value as a blob).
        var values = parts.Select(part => row.GetFieldValue<byte[]>(part.Column)).ToArray();
        var json = new byte[1 + parts.Sum(part => part.Prefix.Length) + values.Sum(StoredParts.Length)];
        var at = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Prefix.Span.CopyTo(json.AsSpan(at));
            at += parts[i].Prefix.Length;
            var length = StoredParts.Length(values[i]);
            StoredParts.Unpack(values[i], json.AsSpan(at, length));
            at += length;
        }

        json[at] = (byte)'}';
        return new RenderedPage(json, modified, keys, Exists: true);
    }

    private static DateTimeOffset Later(DateTimeOffset modified, DbDataReader row, int column) =>
        row.IsDBNull(column) ? modified : Timestamps.Parse(row.GetString(column)) is var other && other > modified ? other : modified;

    // The property names as the response serializes them (camelCase), in its order.
    private static readonly ReadOnlyMemory<byte> SectionsName = ",\"sections\":"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> PullQuotesName = ",\"pullQuotes\":"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> CommentsName = ",\"comments\":"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> CursorName = ",\"commentsNextCursor\":"u8.ToArray();
}
