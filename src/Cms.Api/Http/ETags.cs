using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>
/// Strong ETags computed from the exact bytes of a JSON representation: two responses share an ETag exactly
/// when they are byte-identical, so an ETag changes whenever anything it contains changes (a section edit,
/// an approved comment, a new version).
/// </summary>
public sealed class ETags(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public JsonSerializerOptions SerializerOptions => json.Value.SerializerOptions;

    public byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, SerializerOptions);

    public string Of<T>(T value) => FromBytes(Serialize(value));

    public static string FromBytes(ReadOnlySpan<byte> representation)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(representation, hash);
        return "\"" + Convert.ToBase64String(hash[..18]).Replace('+', '-').Replace('/', '_') + "\"";
    }

    /// <summary>True when If-None-Match lists this ETag (or *): the client's copy is current (RFC 9110 weak comparison).</summary>
    public static bool NoneMatchHits(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        return EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
    }

    /// <summary>If-Modified-Since counts only when the request has no If-None-Match (RFC 9110 §13.1.3).</summary>
    public static bool NotModifiedSince(HttpRequest request, DateTimeOffset? lastModified)
    {
        if (lastModified is not { } modified || request.Headers.IfNoneMatch.Count > 0
            || !DateTimeOffset.TryParse(request.Headers.IfModifiedSince, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var since))
        {
            return false;
        }

        return modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }
}
