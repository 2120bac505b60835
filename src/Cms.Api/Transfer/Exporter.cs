using System.Text.Json;
using Cms.Api.Articles;
using Cms.Api.Comments;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Transfer;

/// <summary>
/// Streams the bundle in batches (keyset by id), flushing as it goes, so exporting a large site never holds it
/// in memory. Articles in id order, then their comments in id order (a reply's parent always comes first).
/// </summary>
internal sealed class Exporter(CmsDatabase database, ETags etags)
{
    private const int BatchSize = 200;

    private const string ArticleFilter = """
        (@Status IS NULL OR a.status = @Status) AND (@UpdatedSince IS NULL OR a.updated_at >= @UpdatedSince)
        """;

    private static readonly string SelectArticleBatch = DocumentRows.Select($"articles a WHERE a.id > @After AND {ArticleFilter} ORDER BY a.id LIMIT @Batch");

    private const string SelectCommentBatch = $"""
        SELECT c.id AS Id, c.parent_id AS ParentId, a.slug AS Article, c.name AS Name, c.email AS Email, c.website AS Website,
               c.body AS Body, c.status AS Status, c.created_at AS CreatedAt
        FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE c.id > @After AND {ArticleFilter}
        ORDER BY c.id LIMIT @Batch
        """;

    public async Task WriteAsync(Stream output, bool ndjson, ArticleStatus? status, DateTimeOffset? updatedSince, bool withEmails, CancellationToken cancellationToken)
    {
        var options = etags.SerializerOptions;
        // The JSON writer fills a memory buffer that is copied to the response asynchronously batch by batch
        // (the response stream refuses synchronous writes, and the buffer never holds more than a batch).
        using var buffer = new MemoryStream();
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = ndjson });
        // As text: a null DateTimeOffset reaches PostgreSQL without a type, and "IS NULL" cannot tell which it is.
        var filter = new { Status = status is { } s ? ArticleStatuses.ToText(s) : null, UpdatedSince = updatedSince is { } since ? Timestamps.ToText(since) : null };
        if (!ndjson)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("articles");
            writer.WriteStartArray();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        long after = 0;
        while (true)
        {
            await using var batch = await connection.QueryMultipleAsync(new CommandDefinition(
                SelectArticleBatch, new { After = after, Batch = BatchSize, filter.Status, filter.UpdatedSince }, cancellationToken: cancellationToken));
            var articles = await DocumentRows.ReadAsync(batch);
            foreach (var article in articles)
            {
                JsonSerializer.Serialize(writer, article.Document, options);
                EndLine(writer, buffer, ndjson);
            }

            await DrainAsync(writer, buffer, output, cancellationToken);
            if (articles.Count < BatchSize)
            {
                break;
            }

            after = articles[^1].Id;
        }

        if (!ndjson)
        {
            writer.WriteEndArray();
            writer.WritePropertyName("comments");
            writer.WriteStartArray();
        }

        // A reply names its parent by index in this export; the map holds one entry per exported comment.
        var indexById = new Dictionary<long, int>();
        after = 0;
        while (true)
        {
            var comments = (await connection.QueryAsync<CommentExportRow>(new CommandDefinition(
                SelectCommentBatch, new { After = after, Batch = BatchSize * 5, filter.Status, filter.UpdatedSince }, cancellationToken: cancellationToken))).AsList();
            foreach (var comment in comments)
            {
                var document = new CommentDocument
                {
                    Article = comment.Article,
                    Parent = comment.ParentId is { } parent && indexById.TryGetValue(parent, out var index) ? index : null,
                    Name = comment.Name,
                    Email = withEmails ? comment.Email : null,
                    Website = comment.Website,
                    Body = comment.Body,
                    Status = Enum.Parse<CommentStatus>(comment.Status, ignoreCase: true),
                    CreatedAt = comment.CreatedAt,
                };
                indexById[comment.Id] = indexById.Count;
                if (ndjson)
                {
                    JsonSerializer.Serialize(writer, new NdjsonCommentLine(document), options);
                }
                else
                {
                    JsonSerializer.Serialize(writer, document, options);
                }

                EndLine(writer, buffer, ndjson);
            }

            await DrainAsync(writer, buffer, output, cancellationToken);
            if (comments.Count < BatchSize * 5)
            {
                break;
            }

            after = comments[^1].Id;
        }

        if (!ndjson)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await DrainAsync(writer, buffer, output, cancellationToken);
    }

    /// <summary>NDJSON: each document on its own line (the writer is reset so the next one starts a new value).</summary>
    private static void EndLine(Utf8JsonWriter writer, MemoryStream buffer, bool ndjson)
    {
        if (!ndjson)
        {
            return;
        }

        writer.Flush();
        buffer.WriteByte((byte)'\n');
        writer.Reset();
    }

    private static async Task DrainAsync(Utf8JsonWriter writer, MemoryStream buffer, Stream output, CancellationToken cancellationToken)
    {
        writer.Flush();
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        await output.FlushAsync(cancellationToken);
        buffer.SetLength(0);
    }

    private sealed record CommentExportRow(long Id, long? ParentId, string Article, string Name, string? Email, string? Website, string Body, string Status, DateTimeOffset CreatedAt);
}
