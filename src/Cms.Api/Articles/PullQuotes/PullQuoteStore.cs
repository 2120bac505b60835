using System.Text.RegularExpressions;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Articles.PullQuotes;

internal sealed class PullQuoteRow
{
    public long Id { get; init; }
    public long ArticleId { get; init; }
    public long? SectionId { get; init; }
    public string Text { get; init; } = "";
    public string? Attribution { get; init; }
    public int? AfterParagraph { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }
    public string ArticleStatus { get; init; } = "";

    public PullQuoteResponse ToResponse() =>
        new(Id, ArticleId, SectionId, Text, Attribution, AfterParagraph, CreatedAt, UpdatedAt, Version);

    public PullQuoteRequest ToRequest() =>
        new() { Text = Text, Attribution = Attribution, SectionId = SectionId, AfterParagraph = AfterParagraph };
}

internal sealed partial class PullQuoteStore(CmsDatabase database, TimeProvider clock)
{
    internal const string Columns = """
        q.id, q.article_id, q.section_id, q.text, q.attribution, q.after_paragraph, q.created_at, q.updated_at, q.version,
        a.status AS article_status
        """;

    private const string SelectByArticle =
        $"SELECT {Columns} FROM pull_quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id = @ArticleId ORDER BY q.id";

    private const string SelectById =
        $"SELECT {Columns} FROM pull_quotes q JOIN articles a ON a.id = q.article_id WHERE q.id = @Id";

    private const string SelectSectionBody = "SELECT body FROM sections WHERE id = @SectionId AND article_id = @ArticleId";

    private const string Insert = """
        INSERT INTO pull_quotes (article_id, section_id, text, attribution, after_paragraph, created_at, updated_at, version)
        VALUES (@ArticleId, @SectionId, @Text, @Attribution, @AfterParagraph, @Now, @Now, 1)
        RETURNING id
        """;

    private const string Update = """
        UPDATE pull_quotes
        SET section_id = @SectionId, text = @Text, attribution = @Attribution, after_paragraph = @AfterParagraph,
            updated_at = @Now, version = version + 1
        WHERE id = @Id
        """;

    private const string Delete = "DELETE FROM pull_quotes WHERE id = @Id";

    public async Task<IReadOnlyList<PullQuoteRow>> ListAsync(long articleId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PullQuoteRow>(SelectByArticle, new { ArticleId = articleId })).AsList();
    }

    public async Task<PullQuoteRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PullQuoteRow>(SelectById, new { Id = id });
    }

    public async Task<WriteResult<PullQuoteRow>> CreateAsync(long articleId, PullQuoteRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        if (await CheckPlacementAsync(connection, transaction, articleId, request) is { } invalid)
        {
            return invalid;
        }

        var id = await connection.ExecuteScalarAsync<long>(Insert, new
        {
            ArticleId = articleId,
            request.SectionId,
            request.Text,
            request.Attribution,
            request.AfterParagraph,
            Now = Timestamps.Now(clock),
        }, transaction);
        var row = await connection.QuerySingleAsync<PullQuoteRow>(SelectById, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<PullQuoteRow>(row);
    }

    public async Task<WriteResult<PullQuoteRow>> UpdateAsync(
        long id, Func<PullQuoteRow, PullQuoteRequest?> change, Func<PullQuoteRow, bool> precondition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<PullQuoteRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return WriteResult<PullQuoteRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<PullQuoteRow>.Stale(current);
        }

        if (change(current) is not { } request)
        {
            return WriteResult<PullQuoteRow>.NotFound;
        }

        if (request.Text == current.Text && request.Attribution == current.Attribution
            && request.SectionId == current.SectionId && request.AfterParagraph == current.AfterParagraph)
        {
            return new WriteResult<PullQuoteRow>(current);
        }

        if (await CheckPlacementAsync(connection, transaction, current.ArticleId, request) is { } invalid)
        {
            return invalid;
        }

        await connection.ExecuteAsync(Update, new
        {
            Id = id,
            request.SectionId,
            request.Text,
            request.Attribution,
            request.AfterParagraph,
            Now = Timestamps.Now(clock),
        }, transaction);
        var row = await connection.QuerySingleAsync<PullQuoteRow>(SelectById, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<PullQuoteRow>(row);
    }

    public async Task<WriteResult<PullQuoteRow>> DeleteAsync(long id, Func<PullQuoteRow, bool> precondition, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = CmsDatabase.BeginWrite(connection);
        var current = await connection.QuerySingleOrDefaultAsync<PullQuoteRow>(SelectById, new { Id = id }, transaction);
        if (current is null)
        {
            return WriteResult<PullQuoteRow>.NotFound;
        }

        if (!precondition(current))
        {
            return WriteResult<PullQuoteRow>.Stale(current);
        }

        await connection.ExecuteAsync(Delete, new { Id = id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult<PullQuoteRow>(current);
    }

    /// <summary>The section must belong to the same article, and the quote must fall within its paragraphs.</summary>
    private static async Task<WriteResult<PullQuoteRow>?> CheckPlacementAsync(
        SqliteConnection connection, SqliteTransaction transaction, long articleId, PullQuoteRequest request)
    {
        if (request.SectionId is not { } sectionId)
        {
            return null;
        }

        var body = await connection.QuerySingleOrDefaultAsync<string>(SelectSectionBody, new { SectionId = sectionId, ArticleId = articleId }, transaction);
        if (body is null)
        {
            return WriteResult<PullQuoteRow>.Invalid("sectionId", $"Section {sectionId} is not a section of this article.");
        }

        var paragraphs = CountParagraphs(body);
        return request.AfterParagraph > paragraphs
            ? WriteResult<PullQuoteRow>.Invalid("afterParagraph", $"Section {sectionId} has {paragraphs} paragraph(s): 'afterParagraph' must be between 0 and {paragraphs}.")
            : null;
    }

    /// <summary>Paragraphs are separated by a blank line (optionally with spaces on it).</summary>
    internal static int CountParagraphs(string body) =>
        ParagraphBreak().Split(body).Count(p => !string.IsNullOrWhiteSpace(p));

    [GeneratedRegex(@"\r?\n[ \t]*\r?\n")]
    private static partial Regex ParagraphBreak();
}
