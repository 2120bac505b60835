using Cms.Api.Http;
using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Cms.Api.Transfer;

/// <summary>One item read from a bundle: an article document, a comment, or a piece that could not be read.</summary>
internal abstract record BundleItem
{
    public sealed record Article(ArticleDocument Document) : BundleItem;

    public sealed record Comment(CommentDocument Document) : BundleItem;

    public sealed record Broken(string Path, string Message) : BundleItem;

    /// <summary>Reads application/json: the whole bundle (use NDJSON for large imports).</summary>
    public static async IAsyncEnumerable<BundleItem> FromJsonAsync(Stream body, JsonSerializerOptions options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ContentBundle? bundle = null;
        BundleItem? broken = null;
        try
        {
            bundle = await JsonSerializer.DeserializeAsync<ContentBundle>(body, options, cancellationToken);
        }
        catch (JsonException exception)
        {
            var (field, message) = JsonErrors.Describe(exception);
            broken = new Broken(field ?? PathOf(exception.Path), field is null ? "Not valid JSON: " + message : message);
        }

        if (broken is not null)
        {
            yield return broken;
            yield break;
        }

        foreach (var article in bundle?.Articles ?? [])
        {
            yield return article is null ? new Broken("articles", "An article is null.") : new Article(article);
        }

        foreach (var comment in bundle?.Comments ?? [])
        {
            yield return comment is null ? new Broken("comments", "A comment is null.") : new Comment(comment);
        }
    }

    /// <summary>
    /// Reads application/x-ndjson line by line: an article document per line, or {"comment":{…}}. Lines are parsed
    /// straight from the request's UTF-8 bytes, once each (no string per line, no intermediate DOM): an import of
    /// a million articles parses gigabytes, and that was a quarter of its time.
    /// </summary>
    public static async IAsyncEnumerable<BundleItem> FromNdjsonAsync(PipeReader body, JsonSerializerOptions options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lineNumber = 0;
        var items = new List<BundleItem>();
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            items.Clear();
            while (TryReadLine(ref buffer, read.IsCompleted, out var line))
            {
                lineNumber++;
                if (ParseLine(line, lineNumber, options) is { } item)
                {
                    items.Add(item);
                }
            }

            body.AdvanceTo(buffer.Start, buffer.End);
            foreach (var item in items)
            {
                yield return item;
            }

            if (read.IsCompleted)
            {
                break;
            }
        }

        await body.CompleteAsync();
    }

    /// <summary>The next line (without its line break); at the end of the body, whatever is left is the last line.</summary>
    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, bool atEnd, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is { } end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            return true;
        }

        line = buffer;
        if (atEnd && !buffer.IsEmpty)
        {
            buffer = buffer.Slice(buffer.End);
            return true;
        }

        return false;
    }

    private static BundleItem? ParseLine(ReadOnlySequence<byte> line, int lineNumber, JsonSerializerOptions options)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        bytes = bytes.Trim(" \t\r"u8);
        if (lineNumber == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.IsEmpty)
        {
            return null;
        }

        try
        {
            return IsCommentLine(bytes)
                ? new Comment(JsonSerializer.Deserialize<NdjsonCommentLine>(bytes, options)!.Comment ?? throw new JsonException("'comment' is null."))
                : new Article(JsonSerializer.Deserialize<ArticleDocument>(bytes, options) ?? throw new JsonException("An article is null."));
        }
        catch (JsonException exception)
        {
            var (field, message) = JsonErrors.Describe(exception);
            return field is null
                ? new Broken($"line {lineNumber}", "Not valid JSON: " + message)
                : new Broken($"line {lineNumber}, {field}", message);
        }
    }

    /// <summary>Whether the line is an object with a top-level "comment" member (a scan of its tokens, no values built).</summary>
    private static bool IsCommentLine(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Each line must be a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("comment"u8))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private static string PathOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.TrimStart('$').TrimStart('.');
}
