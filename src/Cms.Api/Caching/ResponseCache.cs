using Cms.Api.Data;
using System.Collections.Concurrent;
using Cms.Api.Http;
using Microsoft.Extensions.Primitives;

namespace Cms.Api.Caching;

/// <summary>
/// An in-process cache of public (no key) GET responses, keyed by path and query, holding the exact bytes and
/// headers that <see cref="CachedJson{T}"/> produced — so a hot article or list page is served, and its 304
/// answered, without touching the database. Every write names the public views it changed (<see cref="SurrogateKeys"/>)
/// and they are evicted the moment it commits, before it answers (<see cref="CmsDatabase.ChangesCommitted"/>): only the
/// responses carrying one of those keys go, and a write that changed no public view (a comment held for moderation)
/// evicts nothing. Responses to requests with a key are never cached.
/// </summary>
public sealed class ResponseCache
{
    public ResponseCache(CmsDatabase database, bool enabled)
    {
        Enabled = enabled;
        database.ChangesCommitted += Invalidate;
    }

    /// <summary>Past this many entries the cache starts over, bounding memory.</summary>
    public const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    // Surrogate key → the cache keys of the responses that carry it.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> bySurrogateKey = new(StringComparer.Ordinal);
    private long generation;

    public bool Enabled { get; }

    public void InvalidateAll()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
        bySurrogateKey.Clear();
    }

    /// <summary>Evicts every response that carries one of <paramref name="surrogateKeys"/> (all of them for <see cref="SurrogateKeys.All"/>).</summary>
    public void Invalidate(IReadOnlyCollection<string> surrogateKeys)
    {
        if (surrogateKeys.Count == 0)
        {
            return;
        }

        if (surrogateKeys.Contains(SurrogateKeys.All))
        {
            InvalidateAll();
            return;
        }

        // Bumped first: a response being made right now may predate the write, so it must not be stored.
        Interlocked.Increment(ref generation);
        foreach (var surrogateKey in surrogateKeys)
        {
            if (bySurrogateKey.TryRemove(surrogateKey, out var keys))
            {
                foreach (var key in keys.Keys)
                {
                    entries.TryRemove(key, out _);
                }
            }
        }
    }

    internal static string KeyOf(HttpRequest request) => request.Path.Value + request.QueryString.Value;

    internal static bool IsCacheable(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Authorization.Count == 0;

    internal long Generation => Interlocked.Read(ref generation);

    internal void Store(string key, long generationAtStart, Entry entry)
    {
        if (!Enabled || Generation != generationAtStart)
        {
            return; // a write committed while this response was being made: it may already be stale
        }

        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
            bySurrogateKey.Clear();
        }

        // Indexed before it is visible, so an eviction by surrogate key can never miss it.
        foreach (var surrogateKey in entry.SurrogateKeys)
        {
            bySurrogateKey.GetOrAdd(surrogateKey, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[key] = 0;
        }

        entries[key] = entry;

        // Checked again once visible: a write that committed between the check above and now bumped the generation,
        // and its eviction may have run before this entry was there to evict. Removed only if it is still this entry.
        if (Generation != generationAtStart)
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
    }

    internal bool TryGet(string key, out Entry entry) => entries.TryGetValue(key, out entry!);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> making = new(StringComparer.Ordinal);

    /// <summary>
    /// Claims the making of a missing response: the claim to pass to <see cref="EndMaking"/>, or null when another
    /// request is already making it (<paramref name="madeByOther"/> completes when that one is done).
    /// </summary>
    internal TaskCompletionSource? BeginMaking(string key, out Task? madeByOther)
    {
        var claim = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = making.GetOrAdd(key, claim);
        madeByOther = current == claim ? null : current.Task;
        return current == claim ? claim : null;
    }

    internal void EndMaking(string key, TaskCompletionSource claim)
    {
        making.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, claim));
        claim.TrySetResult();
    }

    internal sealed record Entry(byte[] Body, string ETag, string? LastModified, string CacheControl, string? SurrogateKey, StringValues Link)
    {
        public string[] SurrogateKeys { get; } = SurrogateKey?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

        public DateTimeOffset? LastModifiedAt { get; } = DateTimeOffset.TryParse(
            LastModified, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}

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
                await ServeAsync(context, hit);
                return;
            }

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
        headers.Vary = "Authorization";
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
