using System.Data.Common;
using Cms.Api.Data;
using Cms.Api.Data.Postgres;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Search;

/// <summary>
/// What a search adds to the article list's SQL on each engine: the join that finds the matches of <c>@Search</c>, the
/// window of the newest matches that relevance ranks, the value bound to <c>@Search</c>, and the connection a search
/// runs on.
/// </summary>
internal abstract class FullTextSearch
{
    /// <summary>Joined to <c>articles a</c>; keeps the articles that match.</summary>
    public abstract string Join { get; }

    /// <summary>
    /// The newest <c>@RankedMatches</c> matches among <c>{from} WHERE 1 = 1{filters}</c>: their ids, and their relevance as
    /// <c>score</c> (a double, lower is better) when <paramref name="scored"/>, else 0.
    /// </summary>
    public abstract string RankedMatches(string from, string filters, bool scored);

    public abstract object SearchValue(string search);

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The message of a query the engine refused as search syntax; null for any other failure.</summary>
    public abstract string? SyntaxError(Exception exception);

    /// <summary>SQLite: FTS5 over the index's own file, attached to the reading connection; FTS5 reads the query itself.</summary>
    public sealed class Fts5(SqliteDatabase database) : FullTextSearch
    {
        public override string Join => $" JOIN {SearchIndex.Schema}.articles_fts ON articles_fts.rowid = a.id AND articles_fts MATCH @Search";

        // FTS5 reads the index backwards for ORDER BY rowid DESC and stops at the limit, so only the window is ranked, in one
        // pass. Title counts most, then standfirst, headings, byline, body.
        public override string RankedMatches(string from, string filters, bool scored) =>
            $"SELECT a.id, {(scored ? "bm25(articles_fts, 10.0, 5.0, 2.0, 3.0, 1.0)" : "0")} AS score FROM {from} WHERE 1 = 1{filters} ORDER BY articles_fts.rowid DESC LIMIT @RankedMatches";

        public override object SearchValue(string search) => search;

        public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
            await database.OpenSearchReaderAsync(cancellationToken);

        // FTS5 reports query syntax problems as plain SQLITE_ERRORs with these messages.
        public override string? SyntaxError(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 1 } sqlite
            && new[] { "fts5", "unterminated string", "no such column", "unknown special query" }
                .Any(m => sqlite.Message.Contains(m, StringComparison.OrdinalIgnoreCase))
                ? sqlite.Message.Replace("SQLite Error 1: ", string.Empty, StringComparison.Ordinal).Trim('\'', '.', ' ')
                : null;
    }

    /// <summary>
    /// PostgreSQL: the weighted tsvector kept per article (<see cref="SearchDocument"/>), its GIN index, and the query
    /// translated from the same syntax (<see cref="TsQueryTranslator"/>).
    /// </summary>
    public sealed class TsVector(PostgresDatabase database) : FullTextSearch
    {
        // The query is written out where it is used: a constant once the parameter is bound, so the GIN index finds the matches.
        public override string Join => $" JOIN article_search fts ON fts.article_id = a.id AND fts.document @@ {Query}";

        // The window is bounded by the id of its oldest match, found first without ranking: PostgreSQL would rank every
        // match before sorting them by id. Weights for D, C, B, A; normalisation 1 divides by 1 + log(length), so a long
        // article's many mentions count less.
        public override string RankedMatches(string from, string filters, bool scored) => $"""
            SELECT a.id, {(scored ? $"(-ts_rank('{{0.1, 0.3, 0.5, 1.0}}', fts.document, {Query}, 1))::float8" : "0")} AS score FROM {from}
            WHERE 1 = 1{filters} AND fts.article_id >= COALESCE((SELECT fts.article_id FROM {from} WHERE 1 = 1{filters} ORDER BY fts.article_id DESC LIMIT 1 OFFSET @RankedMatches - 1), 0)
            """;

        private const string Query = "CAST(@Search AS tsquery)";

        public override object SearchValue(string search) => TsQueryTranslator.Translate(search);

        public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenSearchAsync(cancellationToken);

        // The translator refuses what FTS5 would refuse, before the query is sent.
        public override string? SyntaxError(Exception exception) => null;
    }
}

/// <summary>Thrown when the search text is not valid search syntax (FTS5's query language, on both engines).</summary>
internal sealed class SearchSyntaxException(string message) : Exception(message);
