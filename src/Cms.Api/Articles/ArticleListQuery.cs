using System.Globalization;
using System.Text;
using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Search;
using Cms.Api.Settings;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cms.Api.Articles;

/// <summary>
/// One list order: its SQL key (an indexed column, so keyset pages use an index range) and direction. The
/// page query also selects the key, which the cursor carries exactly as SQLite compares it.
/// </summary>
internal sealed record ArticleSort(string Name, string KeySql, bool Descending, string CursorKeySql)
{
    public static readonly IReadOnlyDictionary<string, ArticleSort> ByName = new[]
    {
        new ArticleSort("-publishedAt", "a.published_sort", true, "@CursorKey"),
        new ArticleSort("publishedAt", "a.published_sort", false, "@CursorKey"),
        new ArticleSort("-updatedAt", "a.updated_at", true, "@CursorKey"),
        new ArticleSort("title", "a.title_sort", false, "@CursorKey"),
    }.ToDictionary(s => s.Name);

    /// <summary>Search results, best match first (bm25: lower is better). Title counts most, then standfirst, headings, byline, body.</summary>
    public static readonly ArticleSort Relevance = new(
        "relevance", "bm25(articles_fts, 10.0, 5.0, 2.0, 3.0, 1.0)", false, "CAST(@CursorKey AS REAL)");

    public static string KeyOf(ArticleRow row) => row.SortKey switch
    {
        double score => score.ToString("R", CultureInfo.InvariantCulture),
        null => string.Empty,
        var key => Convert.ToString(key, CultureInfo.InvariantCulture)!,
    };

    public const string Default = "-publishedAt";
}

/// <summary>What a caller asked of GET /articles, after validation.</summary>
internal sealed record ArticleListQuery(
    string? Status,
    string? Search,
    string? Byline,
    DateTimeOffset? PublishedAfter,
    DateTimeOffset? PublishedBefore,
    ArticleSort Sort,
    ListParameters Paging,
    ArticleIncludes Includes);

internal sealed record ArticleListResult(
    IReadOnlyList<ArticleRow> Rows,
    long? TotalCount,
    ILookup<long, SectionRow> Sections,
    ILookup<long, PullQuoteRow> PullQuotes,
    IReadOnlyDictionary<long, string> Snippets);

/// <summary>Thrown when the search text is not valid FTS5 query syntax.</summary>
internal sealed class SearchSyntaxException(string message) : Exception(message);

/// <summary>
/// Builds and runs the article list: filters, keyset paging on an indexed order, optional full-text search
/// and includes, all in one command. Only whitelisted SQL fragments are concatenated; every value is a parameter.
/// </summary>
internal sealed class ArticleListReader(CmsDatabase database, IOptions<CmsOptions> options)
{
    // SQLite runs a query on the calling thread. Searches let in all at once share the cores, so each takes as long as
    // all of them together (a long one longest) and holds a thread meanwhile; taken in turn, first come first served, one
    // per core, each takes its own time after its wait, and the other requests keep the threads they need.
    private readonly SemaphoreSlim searchTurns = new(Environment.ProcessorCount);

    public async Task<ArticleListResult> ReadAsync(ArticleListQuery query, CancellationToken cancellationToken)
    {
        var filters = new StringBuilder();
        var from = "articles a";
        if (query.Search is not null)
        {
            from += $" JOIN {SearchIndex.Schema}.articles_fts ON articles_fts.rowid = a.id";
            filters.Append(" AND articles_fts MATCH @Search");
        }

        if (query.Status is not null)
        {
            filters.Append(" AND a.status = @Status");
        }

        if (query.Byline is not null)
        {
            filters.Append(" AND lower(a.byline) LIKE '%' || lower(@Byline) || '%' ESCAPE '\\'");
        }

        if (query.PublishedAfter is not null)
        {
            filters.Append(" AND a.published_at > @PublishedAfter");
        }

        if (query.PublishedBefore is not null)
        {
            filters.Append(" AND a.published_at < @PublishedBefore");
        }

        var sort = query.Sort;
        if (sort == ArticleSort.Relevance)
        {
            // Relevance ranks the newest RankedMatches matches only (those with the highest ids, found by walking the
            // index backwards, no scoring): the rank's cost is bounded, and the page, its cursor and the count agree.
            var matching = filters.ToString();
            filters.Append($" AND articles_fts.rowid >= COALESCE((SELECT articles_fts.rowid FROM {from} WHERE 1 = 1{matching} ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET @RankedMatches - 1), 0)");
        }
        var direction = sort.Descending ? "DESC" : "ASC";
        var keyset = query.Paging.After is null
            ? string.Empty
            : $" AND ({sort.KeySql}, a.id) {(sort.Descending ? "<" : ">")} ({sort.CursorKeySql}, @CursorId)";
        string page, pageIds, prepare = string.Empty;
        if (query.Search is null)
        {
            page = $"""
                SELECT {ArticleStore.Columns}, NULL AS score, {sort.KeySql} AS sort_key FROM {from}
                WHERE 1 = 1{filters}{keyset}
                ORDER BY {sort.KeySql} {direction}, a.id {direction}
                LIMIT @Fetch OFFSET @Offset
                """;
            pageIds = page;
        }
        else
        {
            // Ranking touches every match it ranks; only ids and keys go through that sort, once, into the connection's
            // temporary search_page table. The index keeps no text (migration 0010): the snippets are cut from the page's
            // stored text (Snippets).
            prepare = $"""
                {SearchIndex.CreateSearchPage}
                DELETE FROM temp.search_page;
                INSERT INTO temp.search_page (id, score, sort_key)
                SELECT a.id, {(sort == ArticleSort.Relevance ? sort.KeySql : "NULL")} AS score, {sort.KeySql} AS sort_key FROM {from}
                WHERE 1 = 1{filters}{keyset}
                ORDER BY {sort.KeySql} {direction}, a.id {direction}
                LIMIT @Fetch OFFSET @Offset;

                """;
            // CROSS JOIN: the page drives. SQLite has no statistics for the temporary table and would otherwise scan the articles.
            pageIds = "SELECT id FROM temp.search_page";
            page = $"""
                SELECT {ArticleStore.Columns}, hits.score AS score, hits.sort_key AS sort_key
                FROM temp.search_page hits CROSS JOIN articles a ON a.id = hits.id
                ORDER BY hits.sort_key {direction}, a.id {direction}
                """;
        }

        var statements = new List<string> { prepare + page };
        if (query.Paging.Count)
        {
            statements.Add($"SELECT COUNT(*) FROM {from} WHERE 1 = 1{filters}");
        }

        if (query.Search is not null)
        {
            statements.Add($"SELECT id, {SearchIndex.Columns} FROM articles_search WHERE id IN (SELECT id FROM temp.search_page)");
        }

        if (query.Includes.HasFlag(ArticleIncludes.Sections))
        {
            statements.Add($"WITH page AS ({pageIds}) SELECT {SectionStore.Columns} FROM sections s JOIN articles a ON a.id = s.article_id WHERE s.article_id IN (SELECT id FROM page) ORDER BY s.article_id, s.position");
        }

        if (query.Includes.HasFlag(ArticleIncludes.PullQuotes))
        {
            statements.Add($"WITH page AS ({pageIds}) SELECT {PullQuoteStore.Columns} FROM pull_quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id IN (SELECT id FROM page) ORDER BY q.article_id, q.id");
        }

        var parameters = new
        {
            query.Search,
            query.Status,
            Byline = query.Byline is null ? null : LikePattern.Escape(query.Byline),
            query.PublishedAfter,
            query.PublishedBefore,
            CursorKey = query.Paging.After?.Key,
            CursorId = query.Paging.After?.Id,
            Fetch = query.Paging.FetchCount,
            query.Paging.Offset,
            options.Value.Search.RankedMatches,
        };

        var turn = query.Search is null ? null : searchTurns;
        if (turn is not null)
        {
            await turn.WaitAsync(cancellationToken);
        }

        try
        {
            await using var connection = query.Search is null
                ? await database.OpenAsync(cancellationToken)
                : await NotOnThisEngineException.RequireSqlite(database, "Full-text search (q)").OpenSearchReaderAsync(cancellationToken);
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(string.Join(";\n", statements), parameters, cancellationToken: cancellationToken));
            var rows = (await results.ReadAsync<ArticleRow>()).AsList();
            long? total = query.Paging.Count ? await results.ReadSingleAsync<long>() : null;
            var snippets = query.Search is null ? new Dictionary<long, string>() : CutSnippets(query.Search, await results.ReadAsync());
            var sections = query.Includes.HasFlag(ArticleIncludes.Sections) ? (await results.ReadAsync<SectionRow>()).ToLookup(s => s.ArticleId) : Empty<SectionRow>();
            var quotes = query.Includes.HasFlag(ArticleIncludes.PullQuotes) ? (await results.ReadAsync<PullQuoteRow>()).ToLookup(q => q.ArticleId) : Empty<PullQuoteRow>();
            return new ArticleListResult(rows, total, sections, quotes, snippets);
        }
        catch (SqliteException exception) when (query.Search is not null && IsSearchSyntaxError(exception))
        {
            throw new SearchSyntaxException(exception.Message.Replace("SQLite Error 1: ", string.Empty, StringComparison.Ordinal).Trim('\'', '.', ' '));
        }
        finally
        {
            turn?.Release();
        }
    }

    // FTS5 reports query syntax problems as plain SQLITE_ERRORs with these messages.
    private static bool IsSearchSyntaxError(SqliteException exception) =>
        exception.SqliteErrorCode == 1
        && new[] { "fts5", "unterminated string", "no such column", "unknown special query" }
            .Any(m => exception.Message.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static ILookup<long, T> Empty<T>() => Array.Empty<T>().ToLookup(_ => 0L);

    // Read as plain rows: the view's headings and bodies are expressions with no declared type, which Dapper would take for blobs.
    private static Dictionary<long, string> CutSnippets(string search, IEnumerable<dynamic> texts)
    {
        var phrases = SearchTerms.Parse(search);
        return texts.Cast<IDictionary<string, object?>>().ToDictionary(
            t => (long)t["id"]!,
            t => Snippets.Cut(phrases, [.. SearchIndex.ColumnNames.Select(c => t[c] as string ?? string.Empty)]));
    }
}
