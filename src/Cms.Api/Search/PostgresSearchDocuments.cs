using Cms.Api.Data;

namespace Cms.Api.Search;

/// <summary>
/// Keeps PostgreSQL's search documents (article_search) up to date. The tables' triggers only mark an article due
/// (article_search_due, migration 0012) when its searchable text changes; every write builds the documents of what is
/// due (<see cref="SearchDocument"/>) just before it commits, so a search sees each write as it commits. At start, what a
/// failed build or the migration left due is built in the background, a batch per write.
/// </summary>
internal sealed partial class PostgresSearchDocuments : BackgroundService
{
    private const int Batch = 256;

    private const string SelectDue = "SELECT article_id FROM article_search_due ORDER BY article_id DESC LIMIT @Limit";

    // By ids in hand, not joined to the due table: the view's text is then put together for those articles only.
    private const string SelectText = """
        SELECT id AS Id, title AS Title, standfirst AS Standfirst, byline AS Byline, headings AS Headings, bodies AS Bodies
        FROM articles_search WHERE id = ANY (@Ids)
        """;

    // Due articles deleted since have no text: their due rows go, their documents went with them.
    private const string Save = $"""
        {SearchDocument.Save};
        DELETE FROM article_search_due WHERE article_id = ANY (@Due)
        """;

    private readonly CmsDatabase database;
    private readonly ILogger<PostgresSearchDocuments> logger;

    public PostgresSearchDocuments(CmsDatabase database, ILogger<PostgresSearchDocuments> logger)
    {
        this.database = database;
        this.logger = logger;
    }

    // Started after the database is migrated (Hosting/CmsApplication.cs), before any request is served.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A write that changed no document leaves what is due (if a build failed) to the next that does.
        database.BeforeEveryCommit(write => write.MayChangeDocuments ? BuildDueAsync(write) : Task.CompletedTask);
        await Task.Yield(); // the rest in the background: the host goes on starting
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var write = await database.BeginWriteAsync(stoppingToken);
                var built = await BuildDueAsync(write); // the write's own pass before its commit builds the next batch, if any
                await write.CommitAsync();
                if (built == 0)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogFailed(exception);
        }
    }

    private async Task<int> BuildDueAsync(WriteTransaction write)
    {
        // Only building takes a savepoint (two more round trips): a statement that fails spoils a PostgreSQL transaction,
        // and the write must commit without this.
        var due = await write.ListAsync<long>(SelectDue, new { Limit = Batch });
        if (due.Count == 0)
        {
            return 0;
        }

        await write.ExecuteAsync("SAVEPOINT search_documents");
        try
        {
            var texts = await write.ListAsync<SearchText>(SelectText, new { Ids = due.ToArray() });
            var documents = texts.Select(t => SearchDocument.Build(t.Title ?? string.Empty, t.Standfirst, t.Byline, t.Headings, t.Bodies)).ToArray();
            await write.ExecuteAsync($"{Save}; {SearchDocument.MergePending}; RELEASE search_documents", new { Ids = texts.Select(t => t.Id).ToArray(), Documents = documents, Due = due.ToArray() });
            return due.Count;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception);
            await write.ExecuteAsync("ROLLBACK TO search_documents; RELEASE search_documents");
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Building search documents failed; they stay due and are built by a later write")]
    private partial void LogFailed(Exception exception);
}
