using System.Buffers.Text;
using System.Text.Json;
using System.Text;

namespace Cms.Api.Http;

/// <summary>
/// An opaque keyset cursor: the sort it belongs to and the sort key and id of the last item of the page.
/// The next page starts strictly after that item, so inserts and deletes never shift it (no duplicates, no gaps).
/// </summary>
public sealed record Cursor(string Sort, string Key, long Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(Sort, Key, Id)));

    public static bool TryDecode(string? text, string expectedSort, out Cursor? cursor, out string? error)
    {
        cursor = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(text));
            if (wire is null || wire.S is null || wire.K is null)
            {
                throw new JsonException();
            }

            if (wire.S != expectedSort)
            {
                error = $"This cursor belongs to sort '{wire.S}', not '{expectedSort}'. Keep the other parameters the same while following nextCursor.";
                return false;
            }

            cursor = new Cursor(wire.S, wire.K, wire.I);
            return true;
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            error = "The cursor is not valid. Use the nextCursor value of a previous page as it is.";
            return false;
        }
    }

    private sealed record Wire(string S, string K, long I);
}

/// <summary>A page of a list: <c>nextCursor</c> is null on the last page; <c>totalCount</c> only with <c>count=true</c>.</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    string? NextCursor,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? TotalCount = null);

/// <summary>All items of a small, bounded list (an article's sections or pull-quotes).</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);

public static class PageLinks
{
    /// <summary>Adds the RFC 8288 <c>Link: &lt;…&gt;; rel="next"</c> header for the next page, if there is one.</summary>
    public static void AddNextLink(HttpContext context, string? nextCursor)
    {
        if (nextCursor is null)
        {
            return;
        }

        var query = context.Request.Query
            .Where(p => p.Key is not "cursor" and not "offset")
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"cursor={Uri.EscapeDataString(nextCursor)}");
        var url = new StringBuilder(context.Request.PathBase).Append(context.Request.Path).Append('?').AppendJoin('&', query);
        context.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }
}
