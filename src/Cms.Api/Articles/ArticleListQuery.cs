using Cms.Api.Instrumentation;
using System.Globalization;
using System.Text;
using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Search;
using Cms.Api.Settings;
using Dapper;
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

    /// <summary>Search results, best match first: ordered by the engine's relevance score (<see cref="FullTextSearch.RankedMatches"/>).</summary>
    public static readonly ArticleSort Relevance = new("relevance", string.Empty, false, "CAST(@CursorKey AS DOUBLE PRECISION)");

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

/// <summary>
/// Builds and runs the article list: filters, keyset paging on an indexed order, optional full-text search, then the
/// page's includes and snippets by id. Only whitelisted SQL fragments are concatenated; every value is a parameter.
/// </summary>
internal sealed class ArticleListReader(CmsDatabase database, FullTextSearch fullText, IOptions<CmsOptions> options)
{
    // SQLite runs a query on the calling thread. Searches let in all at once share the cores, so each takes as long as
    // all of them together (a long one longest) and holds a thread meanwhile; taken in turn, first come first served, one
    // per core, each takes its own time after its wait, and the other requests keep the threads they need.
    private readonly SemaphoreSlim searchTurns = new(Environment.ProcessorCount);

    public async Task<ArticleListResult> ReadAsync(ArticleListQuery query, CancellationToken cancellationToken)
    {
        var filters = new StringBuilder();
        var from = query.Search is null ? "articles a" : "articles a" + fullText.Join;
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

        string page, count;
        if (query.Sort == ArticleSort.Relevance)
        {
            // Relevance ranks the newest RankedMatches matches only: the rank's cost is bounded, and the page, its cursor
            // and the count agree. The window is ranked as it is read; only the page's rows are then read in full.
            var matching = filters.ToString();
            var keyset = query.Paging.After is null ? string.Empty : $" AND (score, id) > ({query.Sort.CursorKeySql}, @CursorId)";
            page = $"""
                WITH matches AS MATERIALIZED ({fullText.RankedMatches(from, matching, scored: true)}),
                ranked AS MATERIALIZED (SELECT id, score FROM matches WHERE 1 = 1{keyset} ORDER BY score, id LIMIT @Fetch OFFSET @Offset)
                SELECT {ArticleStore.Columns}, r.score AS score, r.score AS sort_key FROM ranked r JOIN articles a ON a.id = r.id
                ORDER BY r.score, r.id
                """;
            count = $"SELECT COUNT(*) FROM ({fullText.RankedMatches(from, matching, scored: false)}) AS matches";
        }
        else
        {
            var (sort, direction) = (query.Sort, query.Sort.Descending ? "DESC" : "ASC");
            var keyset = query.Paging.After is null
                ? string.Empty
                : $" AND ({sort.KeySql}, a.id) {(sort.Descending ? "<" : ">")} ({sort.CursorKeySql}, @CursorId)";
            page = $"""
                SELECT {ArticleStore.Columns}, NULL AS score, {sort.KeySql} AS sort_key FROM {from}
                WHERE 1 = 1{filters}{keyset}
                ORDER BY {sort.KeySql} {direction}, a.id {direction}
                LIMIT @Fetch OFFSET @Offset
                """;
            count = $"SELECT COUNT(*) FROM {from} WHERE 1 = 1{filters}";
        }

        var statements = new List<string> { page };
        if (query.Paging.Count)
        {
            statements.Add(count);
        }

        // A list's includes go in the same command, repeating its page query (an index range, cheap); a search's follow by
        // the page's ids, so that the search runs once.
        if (query.Search is null)
        {
            statements.AddRange(Parts(query.Includes).Select(p => $"WITH page AS ({page}) {p.Replace("IN @Ids", "IN (SELECT id FROM page)", StringComparison.Ordinal)}"));
        }

        var parameters = new
        {
            Search = query.Search is null ? null : fullText.SearchValue(query.Search),
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

        using var span = Instruments.Start(query.Search is null ? "db.read" : "search");
        var turn = query.Search is null ? null : searchTurns;
        if (turn is not null)
        {
            await turn.WaitAsync(cancellationToken);
        }

        try
        {
            await using var connection = query.Search is null
                ? await database.OpenAsync(cancellationToken)
                : await fullText.OpenAsync(cancellationToken);
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(string.Join(";\n", statements), parameters, cancellationToken: cancellationToken));
            var rows = (await results.ReadAsync<ArticleRow>()).AsList();
            long? total = query.Paging.Count ? await results.ReadSingleAsync<long>() : null;
            if (query.Search is null)
            {
                return new ArticleListResult(rows, total, await ReadSections(results, query.Includes), await ReadPullQuotes(results, query.Includes), new Dictionary<long, string>());
            }

            var (sql, ids) = IdLists.Expand(string.Join(";\n", Parts(query.Includes).Prepend(Texts)), [.. rows.Select(r => r.Id)]);
            await using var parts = await connection.QueryMultipleAsync(new CommandDefinition(sql, ids, cancellationToken: cancellationToken));
            var snippets = CutSnippets(query.Search, rows, await parts.ReadAsync<SnippetSection>());
            return new ArticleListResult(rows, total, await ReadSections(parts, query.Includes), await ReadPullQuotes(parts, query.Includes), snippets);
        }
        catch (Exception exception) when (query.Search is not null && fullText.SyntaxError(exception) is { } message)
        {
            throw new SearchSyntaxException(message);
        }
        finally
        {
            turn?.Release();
        }
    }

    // The hits' section text, for their snippets, read as plain rows and joined here as the articles_search view joins it:
    // the view's two correlated group_concats per article cost more than reading the rows.
    private const string Texts = "SELECT article_id AS ArticleId, heading AS Heading, body AS Body FROM sections WHERE article_id IN @Ids ORDER BY article_id, id";

    private static IEnumerable<string> Parts(ArticleIncludes includes)
    {
        if (includes.HasFlag(ArticleIncludes.Sections))
        {
            yield return $"SELECT {SectionStore.Columns} FROM sections s JOIN articles a ON a.id = s.article_id WHERE s.article_id IN @Ids ORDER BY s.article_id, s.position";
        }

        if (includes.HasFlag(ArticleIncludes.PullQuotes))
        {
            yield return $"SELECT {PullQuoteStore.Columns} FROM pull_quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id IN @Ids ORDER BY q.article_id, q.id";
        }
    }

    private static async Task<ILookup<long, SectionRow>> ReadSections(SqlMapper.GridReader results, ArticleIncludes includes) =>
        includes.HasFlag(ArticleIncludes.Sections) ? (await results.ReadAsync<SectionRow>()).ToLookup(s => s.ArticleId) : Empty<SectionRow>();

    private static async Task<ILookup<long, PullQuoteRow>> ReadPullQuotes(SqlMapper.GridReader results, ArticleIncludes includes) =>
        includes.HasFlag(ArticleIncludes.PullQuotes) ? (await results.ReadAsync<PullQuoteRow>()).ToLookup(q => q.ArticleId) : Empty<PullQuoteRow>();

    private static ILookup<long, T> Empty<T>() => Array.Empty<T>().ToLookup(_ => 0L);

    // Each hit's columns in the search index's order (SearchIndex.Columns): title, standfirst, byline, headings, bodies.
    private static Dictionary<long, string> CutSnippets(string search, IEnumerable<ArticleRow> hits, IEnumerable<SnippetSection> sections)
    {
        var phrases = SearchTerms.Parse(search);
        var text = sections.ToLookup(s => s.ArticleId);
        return hits.ToDictionary(h => h.Id, h => Snippets.Cut(phrases,
        [
            h.Title,
            h.Standfirst ?? string.Empty,
            h.Byline ?? string.Empty,
            string.Join('\n', text[h.Id].Where(s => s.Heading is not null).Select(s => s.Heading)),
            string.Join('\n', text[h.Id].Select(s => s.Body)),
        ]));
    }

    private sealed record SnippetSection(long ArticleId, string? Heading, string Body);
}
