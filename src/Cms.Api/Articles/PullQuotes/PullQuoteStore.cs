using Cms.Api.Caching;
using System.Text.RegularExpressions;
using Cms.Api.Data;

namespace Cms.Api.Articles.PullQuotes;

internal sealed class PullQuoteRow : IArticlePartRow<PullQuoteRequest, PullQuoteResponse>
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
    : ArticlePartStore<PullQuoteRow, PullQuoteRequest>(database, SelectByArticle, SelectById)
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

    public override async Task<WriteResult<PullQuoteRow>> CreateAsync(long articleId, PullQuoteRequest request, CancellationToken cancellationToken)
    {
        await using var write = await Database.BeginWriteAsync(cancellationToken);
        if (await CheckPlacementAsync(write, articleId, request) is { } invalid)
        {
            return invalid;
        }

        var id = await write.ScalarAsync<long>(Insert, Values(request, articleId));
        var row = await write.SingleAsync<PullQuoteRow>(SelectById, new { Id = id });
        write.Changed(SurrogateKeys.Article(articleId));
        await write.CommitAsync();
        return WriteResult<PullQuoteRow>.Saved(row);
    }

    public override Task<WriteResult<PullQuoteRow>> UpdateAsync(
        long id, Func<PullQuoteRow, Proposed<PullQuoteRequest>> change, Func<PullQuoteRow, bool> precondition, CancellationToken cancellationToken) =>
        Database.EditRowAsync<PullQuoteRow, PullQuoteRequest>(SelectById, id, precondition, change, async (write, current, request) =>
        {
            if (request.Text == current.Text && request.Attribution == current.Attribution
                && request.SectionId == current.SectionId && request.AfterParagraph == current.AfterParagraph)
            {
                return WriteResult<PullQuoteRow>.Unchanged(current);
            }

            if (await CheckPlacementAsync(write, current.ArticleId, request) is { } invalid)
            {
                return invalid;
            }

            await write.ExecuteAsync(Update, Values(request, current.ArticleId, id));
            write.Changed(SurrogateKeys.Article(current.ArticleId));
            return WriteResult<PullQuoteRow>.Saved(await write.SingleAsync<PullQuoteRow>(SelectById, new { Id = id }));
        }, cancellationToken);

    public override Task<WriteResult<PullQuoteRow>> DeleteAsync(long id, Func<PullQuoteRow, bool> precondition, CancellationToken cancellationToken) =>
        Database.ChangeRowAsync<PullQuoteRow>(SelectById, id, precondition, async (write, current) =>
        {
            await write.ExecuteAsync(Delete, new { Id = id });
            write.Changed(SurrogateKeys.Article(current.ArticleId));
            return WriteResult<PullQuoteRow>.Saved(current);
        }, cancellationToken);

    private object Values(PullQuoteRequest request, long articleId, long id = 0) => new
    {
        Id = id,
        ArticleId = articleId,
        request.SectionId,
        request.Text,
        request.Attribution,
        request.AfterParagraph,
        Now = Timestamps.Now(clock),
    };

    /// <summary>The section must belong to the same article, and the quote must fall within its paragraphs.</summary>
    private static async Task<WriteResult<PullQuoteRow>?> CheckPlacementAsync(WriteTransaction write, long articleId, PullQuoteRequest request)
    {
        if (request.SectionId is not { } sectionId)
        {
            return null;
        }

        var body = await write.SingleOrDefaultAsync<string>(SelectSectionBody, new { SectionId = sectionId, ArticleId = articleId });
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
