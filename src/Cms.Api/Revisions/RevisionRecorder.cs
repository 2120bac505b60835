using System.Text.Json;
using Cms.Api.Articles;
using Cms.Api.Caching;
using Cms.Api.Data;
using Cms.Api.Http;
using Cms.Api.Settings;
using Cms.Api.Transfer;
using Dapper;
using Microsoft.Extensions.Options;

namespace Cms.Api.Revisions;

/// <summary>
/// Records a revision whenever a write changes an article's document, by any path (the article's routes, its sections'
/// and pull-quotes', upsert by slug, import, the scheduled publisher): inside the write, just before it commits, it reads
/// the document of every article the write named (<see cref="SurrogateKeys.Article"/>, or <see cref="WriteTransaction.Revised"/>)
/// and keeps it when it differs from the latest revision. The same comparison tells webhooks what happened to the
/// article (created, updated, published, unpublished, deleted); an import announces itself once instead. In the
/// background it prunes the revisions of articles deleted longer ago than Cms:Revisions:KeepDeletedDays, hourly.
/// </summary>
internal sealed partial class RevisionRecorder : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private const int Batch = 500;

    private const string SelectLatest = """
        SELECT r.article_id AS ArticleId, r.number AS Number, r.document AS Document, r.deleted_at AS DeletedAt
        FROM article_revisions r
        WHERE r.article_id IN @Ids AND r.number = (SELECT MAX(m.number) FROM article_revisions m WHERE m.article_id = r.article_id)
        """;

    private const string Insert = """
        INSERT INTO article_revisions (article_id, number, version, document, created_at, key_name)
        VALUES (@ArticleId, @Number, @Version, @Document, @CreatedAt, @KeyName)
        """;

    private const string PruneOld = "DELETE FROM article_revisions WHERE article_id = @ArticleId AND number <= @Oldest";

    private const string PruneDeleted = "DELETE FROM article_revisions WHERE deleted_at IS NOT NULL AND deleted_at < @Cutoff";

    private const string Undeleted = "UPDATE article_revisions SET deleted_at = NULL WHERE article_id = @ArticleId";

    private const string MarkDeleted = "UPDATE article_revisions SET deleted_at = @Now WHERE article_id = @ArticleId AND deleted_at IS NULL";

    private readonly JsonSerializerOptions json;
    private readonly TimeProvider clock;
    private readonly IOptions<CmsOptions> options;
    private readonly IHttpContextAccessor http;
    private readonly CmsDatabase database;
    private readonly ILogger<RevisionRecorder> logger;

    public RevisionRecorder(
        CmsDatabase database, ETags etags, TimeProvider clock, IOptions<CmsOptions> options, IHttpContextAccessor http, ILogger<RevisionRecorder> logger)
    {
        this.database = database;
        this.logger = logger;
        json = etags.SerializerOptions;
        this.clock = clock;
        this.options = options;
        this.http = http;
        database.BeforeEveryCommit(RecordAsync);
    }

    /// <summary>The stored form of a document: what a revision holds, and what restoring one writes back.</summary>
    public string Serialize(ArticleDocument document) => JsonSerializer.Serialize(document, json);

    public ArticleDocument Deserialize(string document) => JsonSerializer.Deserialize<ArticleDocument>(document, json)!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cutoff = Timestamps.Now(clock) - TimeSpan.FromDays(options.Value.Revisions.KeepDeletedDays);
                await using (var write = await database.BeginWriteAsync(stoppingToken))
                {
                    await write.ExecuteAsync(PruneDeleted, new { Cutoff = Timestamps.ToText(cutoff) });
                    await write.CommitAsync();
                }

                await Task.Delay(PruneEvery, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPruneFailed(exception);
                await Task.Delay(PruneEvery, clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning deleted articles' revisions failed; the next pass retries")]
    private partial void LogPruneFailed(Exception exception);

    private async Task RecordAsync(WriteTransaction write)
    {
        var ids = ArticleIds(write);
        if (ids.Count == 0)
        {
            return;
        }

        // An import names every view: it announces itself with one event, not one per article.
        var announce = !write.ChangedViews.Contains(SurrogateKeys.All);
        var now = Timestamps.ToText(Timestamps.Now(clock));
        var keyName = http.HttpContext?.User.Identity?.Name;
        foreach (var chunk in ids.Chunk(Batch))
        {
            var (select, parameters) = IdLists.Expand(DocumentRows.Select("articles a WHERE a.id IN @Ids"), chunk);
            List<StoredDocument> documents;
            await using (var rows = await write.Connection.QueryMultipleAsync(new CommandDefinition(select, parameters, write.Transaction)))
            {
                documents = await DocumentRows.ReadAsync(rows);
            }

            var (latestSql, latestParameters) = IdLists.Expand(SelectLatest, chunk);
            var latest = (await write.Connection.QueryAsync<LatestRevision>(new CommandDefinition(latestSql, latestParameters, write.Transaction)))
                .ToDictionary(r => r.ArticleId);
            foreach (var stored in documents)
            {
                var previous = latest.GetValueOrDefault(stored.Id);
                var text = Serialize(stored.Document);
                if (previous is { DeletedAt: null } && previous.Document == text)
                {
                    continue;
                }

                var number = (previous?.Number ?? 0) + 1;
                await write.ExecuteAsync(Insert, new { ArticleId = stored.Id, Number = number, stored.Version, Document = text, CreatedAt = now, KeyName = keyName });
                await write.ExecuteAsync(PruneOld, new { ArticleId = stored.Id, Oldest = number - options.Value.Revisions.Keep });
                if (previous is { DeletedAt: not null })
                {
                    // Restored after it was deleted (RevisionStore): its history is its own again.
                    await write.ExecuteAsync(Undeleted, new { ArticleId = stored.Id });
                }

                if (announce)
                {
                    Announce(write, stored, previous is { DeletedAt: null } ? Deserialize(previous.Document) : null);
                }
            }

            foreach (var gone in chunk.Except(documents.Select(d => d.Id)))
            {
                var previous = latest.GetValueOrDefault(gone);
                if (previous is { DeletedAt: not null })
                {
                    continue;
                }

                await write.ExecuteAsync(MarkDeleted, new { ArticleId = gone, Now = now });
                if (announce)
                {
                    var slug = previous is null ? null : Deserialize(previous.Document).Slug;
                    write.Emit(new OutboxEvent(ArticleEvents.Deleted, SurrogateKeys.Article(gone), ArticleEventData.Deleted(gone, slug)));
                }
            }
        }
    }

    private static void Announce(WriteTransaction write, StoredDocument stored, ArticleDocument? before)
    {
        var after = stored.Document;
        var data = ArticleEventData.Of(stored.Id, after.Slug, stored.Version, after.Status ?? ArticleStatus.Draft);
        var key = SurrogateKeys.Article(stored.Id);
        var wasPublished = before?.Status == ArticleStatus.Published;
        var isPublished = after.Status == ArticleStatus.Published;
        if (before is null)
        {
            write.Emit(new OutboxEvent(stored.Version == 1 ? ArticleEvents.Created : ArticleEvents.Updated, key, data));
        }
        else if (wasPublished == isPublished || !SameExceptStatus(before, after))
        {
            write.Emit(new OutboxEvent(ArticleEvents.Updated, key, data));
        }

        if (isPublished && !wasPublished)
        {
            write.Emit(new OutboxEvent(ArticleEvents.Published, key, data));
        }
        else if (wasPublished && !isPublished)
        {
            write.Emit(new OutboxEvent(ArticleEvents.Unpublished, key, data));
        }
    }

    // Publishing also sets publishedAt (and clears publishAt): a change of status alone is announced as that change only.
    private static bool SameExceptStatus(ArticleDocument before, ArticleDocument after) =>
        (before.Slug, before.Title, before.Standfirst, before.Byline, before.CommentsOpen) == (after.Slug, after.Title, after.Standfirst, after.Byline, after.CommentsOpen)
        && (before.Sections ?? []).SequenceEqual(after.Sections ?? []) && (before.PullQuotes ?? []).SequenceEqual(after.PullQuotes ?? []);

    private static List<long> ArticleIds(WriteTransaction write)
    {
        var ids = new HashSet<long>(write.RevisedArticles);
        foreach (var key in write.ChangedViews)
        {
            if (SurrogateKeys.ArticleId(key) is { } id)
            {
                ids.Add(id);
            }
        }

        return [.. ids.Order()];
    }

    private sealed record LatestRevision(long ArticleId, long Number, string Document, string? DeletedAt);
}

/// <summary>The events a change to an article's document emits (one of created and updated, then published or unpublished if so).</summary>
public static class ArticleEvents
{
    public const string Created = "article.created";
    public const string Updated = "article.updated";
    public const string Published = "article.published";
    public const string Unpublished = "article.unpublished";
    public const string Deleted = "article.deleted";
}

/// <summary>What an article event's <c>data</c> says: enough to find the article, and the keys to purge at a CDN.</summary>
internal sealed record ArticleEventData(long Id, string? Slug, long? Version, string Status, IReadOnlyList<string> SurrogateKeys)
{
    public static ArticleEventData Of(long id, string? slug, long? version, ArticleStatus status) => new(id, slug, version, ArticleStatuses.ToText(status), KeysOf(id));

    public static ArticleEventData Deleted(long id, string? slug) => new(id, slug, null, "deleted", KeysOf(id));

    private static string[] KeysOf(long id) => [Caching.SurrogateKeys.Article(id), Caching.SurrogateKeys.Lists, Caching.SurrogateKeys.Search];
}
