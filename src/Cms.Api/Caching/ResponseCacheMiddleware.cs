using Cms.Api.Instrumentation;
using Cms.Api.Http;

namespace Cms.Api.Caching;

internal static class ResponseCacheMiddleware
{
    private const string GenerationItem = "cms.cache.generation";
    /// <summary>Serves hits for public GETs (writes evict what they change as they commit, see <see cref="ResponseCache"/>).</summary>
    public static IApplicationBuilder UseResponseCache(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var cache = context.RequestServices.GetRequiredService<ResponseCache>();
        var request = context.Request;
        if (ResponseCache.IsCacheable(request))
        {
            var key = ResponseCache.KeyOf(request);
            if (cache.Enabled && cache.TryGet(key, out var hit))
            {
                Instruments.CacheHits.Add(1);
                await ServeAsync(context, hit);
                return;
            }

            Instruments.CacheMisses.Add(1);

            // One request makes a missing response; identical requests arriving meanwhile wait for it instead of
            // all running the same query (after a write empties the cache, a popular page would otherwise be
            // built once per waiting reader). If it yields nothing cacheable, each goes on to make its own.
            Task? madeByOther = null;
            var making = cache.Enabled ? cache.BeginMaking(key, out madeByOther) : null;
            if (making is null && madeByOther is not null)
            {
                await madeByOther.WaitAsync(context.RequestAborted);
                if (cache.TryGet(key, out hit))
                {
                    await ServeAsync(context, hit);
                    return;
                }
            }

            context.Items[GenerationItem] = cache.Generation;
            try
            {
                await next(context);
            }
            finally
            {
                if (making is not null)
                {
                    cache.EndMaking(key, making);
                }
            }

            return;
        }

        await next(context);
    });

    /// <summary>Called by CachedJson once it has the bytes of a public response.</summary>
    internal static void Offer(HttpContext context, byte[] body, string etag)
    {
        if (context.Items[GenerationItem] is not long generation)
        {
            return;
        }

        var headers = context.Response.Headers;
        context.RequestServices.GetRequiredService<ResponseCache>().Store(
            ResponseCache.KeyOf(context.Request),
            generation,
            new ResponseCache.Entry(body, etag, headers.LastModified.ToString(), headers.CacheControl.ToString(), headers["Surrogate-Key"].ToString(), headers["Link"]));
    }

    private static async Task ServeAsync(HttpContext context, ResponseCache.Entry entry)
    {
        var headers = context.Response.Headers;
        headers.ETag = entry.ETag;
        headers.CacheControl = entry.CacheControl;
        headers.Vary = "Authorization, Accept";
        if (!string.IsNullOrEmpty(entry.LastModified))
        {
            headers.LastModified = entry.LastModified;
        }

        if (!string.IsNullOrEmpty(entry.SurrogateKey))
        {
            headers["Surrogate-Key"] = entry.SurrogateKey;
        }

        if (entry.Link.Count > 0)
        {
            headers["Link"] = entry.Link;
        }

        // The same conditions as the uncached path (CachedJson): If-None-Match, else If-Modified-Since.
        if (ETags.NoneMatchHits(context.Request, entry.ETag) || ETags.NotModifiedSince(context.Request, entry.LastModifiedAt))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = entry.Body.Length;
        await context.Response.Body.WriteAsync(entry.Body, context.RequestAborted);
    }
}
