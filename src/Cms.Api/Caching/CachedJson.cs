using System.Globalization;
using System.Reflection;
using Cms.Api.Auth;
using Cms.Api.Http;
using Cms.Api.Settings;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Cms.Api.Caching;

/// <summary>
/// A cacheable 200 JSON response: strong ETag, Last-Modified, Cache-Control (public or, with a key,
/// private), Surrogate-Key for CDNs, and 304 Not Modified when the client's copy is current.
/// </summary>
public sealed class CachedJson<T> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    public CachedJson(T value, DateTimeOffset? lastModified, IEnumerable<string> surrogateKeys)
    {
        Value = value;
        LastModified = lastModified;
        SurrogateKeys = surrogateKeys.Distinct().ToList();
    }

    /// <summary>A response already serialized (a rendered page): <paramref name="json"/> is exactly what <typeparamref name="T"/> serializes to.</summary>
    public static CachedJson<T> Serialized(byte[] json, DateTimeOffset? lastModified, IEnumerable<string> surrogateKeys) =>
        new(default!, lastModified, surrogateKeys) { serialized = json };

    private byte[]? serialized;

    /// <summary>The response; not set when it came <see cref="Serialized"/>.</summary>
    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    public DateTimeOffset? LastModified { get; }

    public IReadOnlyList<string> SurrogateKeys { get; }

    /// <summary>For one reader only (a draft through a preview link): <c>private, no-store</c>, never in a shared cache.</summary>
    public bool Private { get; init; }

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var bytes = serialized ?? services.GetRequiredService<ETags>().Serialize(Value);
        var etag = ETags.FromBytes(bytes);
        var headers = httpContext.Response.Headers;
        headers.ETag = etag;
        if (LastModified is { } modified)
        {
            headers.LastModified = modified.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        }

        // The body differs with and without a key (drafts, e-mails), so caches must keep them apart.
        headers.Vary = "Authorization, Accept";
        if (httpContext.HasKey() || Private)
        {
            headers.CacheControl = "private, no-store";
        }
        else
        {
            headers.CacheControl = services.GetRequiredService<IOptions<CmsOptions>>().Value.Caching.PublicCacheControl;
            if (SurrogateKeys.Count > 0)
            {
                headers["Surrogate-Key"] = string.Join(' ', SurrogateKeys);
            }

            ResponseCacheMiddleware.Offer(httpContext, bytes, etag);
        }

        if (ETags.NoneMatchHits(httpContext.Request, etag) || ETags.NotModifiedSince(httpContext.Request, LastModified))
        {
            httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = bytes.Length;
        await httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }
}
