using System.Globalization;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Articles.Pages;

/// <summary>
/// Render on write: keeps each published article's public page in article_pages (migration 0011), in the parts its
/// <c>include</c> forms are put together from (<see cref="RenderedPages"/>). The tables' triggers delete a page and
/// make it due whenever a write changes what the public sees of it; this renders what is due. Every write renders the
/// most recently due pages itself, up to <see cref="RenderedByAWrite"/>, just before it commits, so what an editor
/// changed is served rendered from the moment the save is answered; what a bulk write (an import) makes due, and what
/// is due at start, is rendered here in the background, a batch per write turn, while reads build those pages from the
/// tables.
/// </summary>
internal sealed partial class PageRenderer : BackgroundService
{
    private const int RenderedByAWrite = 16;
    private const int BackgroundBatch = 64;

    private const string SelectDue = "SELECT article_id FROM article_pages_due ORDER BY seq DESC LIMIT @Limit";
    private const string DeleteDue = "DELETE FROM article_pages_due WHERE article_id IN @Ids";
    private const string DeletePage = "DELETE FROM article_pages WHERE article_id = @Id";

    private const string SavePage = """
        INSERT INTO article_pages (
            article_id, article, sections, pull_quotes, comments, comments_cursor,
            article_modified, sections_modified, pull_quotes_modified, comments_modified, section_keys, pull_quote_keys)
        VALUES (
            @ArticleId, @Article, @Sections, @PullQuotes, @Comments, @CommentsCursor,
            @ArticleModified, @SectionsModified, @PullQuotesModified, @CommentsModified, @SectionKeys, @PullQuoteKeys)
        ON CONFLICT (article_id) DO UPDATE SET
            article = excluded.article, sections = excluded.sections, pull_quotes = excluded.pull_quotes,
            comments = excluded.comments, comments_cursor = excluded.comments_cursor, article_modified = excluded.article_modified,
            sections_modified = excluded.sections_modified, pull_quotes_modified = excluded.pull_quotes_modified,
            comments_modified = excluded.comments_modified, section_keys = excluded.section_keys, pull_quote_keys = excluded.pull_quote_keys
        """;

    private readonly CmsDatabase database;
    private readonly ETags etags;
    private readonly ILogger<PageRenderer> logger;
    private readonly SemaphoreSlim wake = new(0, 1);

    public PageRenderer(CmsDatabase database, ETags etags, ILogger<PageRenderer> logger)
    {
        this.database = database;
        this.etags = etags;
        this.logger = logger;
        database.BeforeEveryCommit(RenderDueAsync);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RenderBatchAsync(stoppingToken))
                {
                    // Between batches the write turn goes back to the queue: requests' writes wait for one batch at most.
                }

                await wake.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogBackgroundFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Renders one batch of what is due in a write of its own; false when nothing was due.</summary>
    private async Task<bool> RenderBatchAsync(CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken);
        var due = await DueAsync(write, BackgroundBatch);
        if (due.Count == 0)
        {
            return false;
        }

        await RenderAsync(write, due);
        await write.CommitAsync();
        return true;
    }

    // Runs inside every write, last: renders what it made due (and anything else recently due). A write that changed no
    // document leaves what is due (if a render failed) to the next that does, or to the renderer's next start.
    private async Task RenderDueAsync(WriteTransaction write)
    {
        if (!write.MayChangeDocuments)
        {
            return;
        }

        var due = await DueAsync(write, RenderedByAWrite + 1);
        if (due.Count > RenderedByAWrite)
        {
            due.RemoveAt(due.Count - 1);
            Wake();
        }

        if (due.Count > 0)
        {
            await RenderAsync(write, due);
        }
    }

    private static async Task<List<long>> DueAsync(WriteTransaction write, int limit) =>
        (await write.Connection.QueryAsync<long>(new CommandDefinition(SelectDue, new { Limit = limit }, write.Transaction))).AsList();

    // A page that fails to render (a fault here, not in the write) stays unrendered, and is read from the tables: the
    // write goes ahead, and the fault is logged rather than retried forever.
    private async Task RenderAsync(WriteTransaction write, List<long> ids)
    {
        foreach (var id in ids)
        {
            try
            {
                await RenderAsync(write, id);
            }
            catch (Exception exception) when (exception is not System.Data.Common.DbException)
            {
                LogRenderFailed(exception, id);
            }
        }

        var (deleteDue, idParameters) = IdLists.Expand(DeleteDue, ids);
        await write.Connection.ExecuteAsync(new CommandDefinition(deleteDue, idParameters, write.Transaction));
    }

    private async Task RenderAsync(WriteTransaction write, long id)
    {
        var page = await ArticleStore.ReadPageAsync(
            write.Connection, write.Transaction, id.ToString(CultureInfo.InvariantCulture), ArticleIncludes.All, allComments: false,
            ArticleEndpoints.IncludedComments, CancellationToken.None);
        if (page is null || !page.Article.IsPublished)
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(DeletePage, new { Id = id }, write.Transaction));
            return;
        }

        var response = page.ToResponse(keyed: false);
        var article = etags.Serialize(page.Article.ToResponse());
        await write.Connection.ExecuteAsync(new CommandDefinition(SavePage, new
        {
            ArticleId = id,
            Article = Pack(article[..^1]), // reads close it after the parts they include
            Sections = Pack(etags.Serialize(response.Sections)),
            PullQuotes = Pack(etags.Serialize(response.PullQuotes)),
            Comments = Pack(etags.Serialize(response.Comments)),
            CommentsCursor = response.CommentsNextCursor is { } cursor ? etags.Serialize(cursor) : null,
            ArticleModified = response.UpdatedAt,
            SectionsModified = Latest(response.Sections!.Select(s => s.UpdatedAt)),
            PullQuotesModified = Latest(response.PullQuotes!.Select(q => q.UpdatedAt)),
            CommentsModified = Latest(response.Comments!.Select(c => c.UpdatedAt)),
            SectionKeys = string.Join(' ', response.Sections!.Select(s => SurrogateKeys.Section(s.Id))),
            PullQuoteKeys = string.Join(' ', response.PullQuotes!.Select(q => SurrogateKeys.PullQuote(q.Id))),
        }, write.Transaction));
    }

    // Compressed here only where the engine does not compress large values itself.
    private byte[] Pack(byte[] json) => database.CompressesLargeValues ? json : StoredParts.Pack(json);

    private static DateTimeOffset? Latest(IEnumerable<DateTimeOffset> times) => times.Any() ? times.Max() : null;

    private void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rendered pages: rendering article {Id} failed; it is read from the tables")]
    private partial void LogRenderFailed(Exception exception, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rendered pages: the background pass failed; retrying")]
    private partial void LogBackgroundFailed(Exception exception);
}
