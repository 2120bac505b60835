using Cms.Api.Instrumentation;
using Cms.Api.Data;
using System.Collections.Concurrent;
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
    public ResponseCache(CmsDatabase database, bool enabled, long maxBytes)
    {
        Enabled = enabled;
        MaxBytes = maxBytes;
        database.ChangesCommitted += Invalidate;
    }

    /// <summary>The memory the cached responses may take (Cms:Caching:MaxMegabytes); past it, the least recently read go.</summary>
    public long MaxBytes { get; }

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    // Reads take no lock. Storing, evicting and invalidating take this one, so that the entries, the surrogate index
    // and the byte count always agree: those happen on misses and writes, and each holds it for a few dictionary steps.
    private readonly Lock writing = new();

    // CLOCK (second chance), an approximation of least-recently-used that costs a hit one field write: entries queue in
    // the order they were stored; past the budget, the oldest is evicted unless it was read since it last came round,
    // in which case it goes to the back. Under a Zipf load the hot pages stay, and the long tail cycles through.
    private readonly Queue<string> clock = new();
    private long bytes;

    // Surrogate key → the cache keys of the responses that carry it; a key no cached response carries is dropped, so
    // the index is as large as the cache, not as the set of everything ever cached.
    private readonly Dictionary<string, HashSet<string>> bySurrogateKey = new(StringComparer.Ordinal);
    private long generation;

    public bool Enabled { get; }

    /// <summary>The memory the cached responses take now, as <see cref="MaxBytes"/> counts it.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    public int Count => entries.Count;

    /// <summary>How many surrogate keys the cached responses carry between them.</summary>
    internal int IndexedSurrogateKeys
    {
        get
        {
            lock (writing)
            {
                return bySurrogateKey.Count;
            }
        }
    }

    public void InvalidateAll()
    {
        lock (writing)
        {
            Interlocked.Increment(ref generation);
            Instruments.CacheEvictions.Add(entries.Count, new KeyValuePair<string, object?>("reason", "write"));
            entries.Clear();
            bySurrogateKey.Clear();
            clock.Clear();
            Interlocked.Exchange(ref bytes, 0);
        }
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

        lock (writing)
        {
            // A response being made right now may predate the write: the new generation keeps it from being stored.
            Interlocked.Increment(ref generation);
            foreach (var surrogateKey in surrogateKeys)
            {
                if (bySurrogateKey.Remove(surrogateKey, out var keys))
                {
                    foreach (var key in keys)
                    {
                        if (entries.TryGetValue(key, out var entry))
                        {
                            Remove(key, entry);
                            Instruments.CacheEvictions.Add(1, new KeyValuePair<string, object?>("reason", "write"));
                        }
                    }
                }
            }
        }
    }

    internal static string KeyOf(HttpRequest request) => request.Path.Value + request.QueryString.Value;

    // A request for another representation than JSON (an article as Markdown) is answered by its endpoint, never from here.
    internal static bool IsCacheable(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Authorization.Count == 0
        && !request.Headers.Accept.ToString().Contains("text/markdown", StringComparison.OrdinalIgnoreCase)
        && !request.Query.ContainsKey("preview");

    internal long Generation => Interlocked.Read(ref generation);

    internal void Store(string key, long generationAtStart, Entry entry)
    {
        if (!Enabled)
        {
            return;
        }

        lock (writing)
        {
            if (Generation != generationAtStart)
            {
                return; // a write committed while this response was being made: it may already be stale
            }

            if (entries.TryGetValue(key, out var replaced))
            {
                Remove(key, replaced);
            }

            foreach (var surrogateKey in entry.SurrogateKeys)
            {
                if (!bySurrogateKey.TryGetValue(surrogateKey, out var keys))
                {
                    bySurrogateKey[surrogateKey] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }

            entries[key] = entry;
            Interlocked.Add(ref bytes, entry.Size);
            clock.Enqueue(key);
            EvictOverBudget();
        }
    }

    internal bool TryGet(string key, out Entry entry)
    {
        if (entries.TryGetValue(key, out entry!))
        {
            entry.Read = true;
            return true;
        }

        return false;
    }

    private void EvictOverBudget()
    {
        // The queue names each stored entry at least once, and keys of entries since evicted or replaced: those are
        // dropped as they come round, and all at once when they outnumber the live ones.
        if (clock.Count > 2 * entries.Count + 1024)
        {
            clock.Clear();
            foreach (var key in entries.Keys)
            {
                clock.Enqueue(key);
            }
        }

        while (Bytes > MaxBytes && clock.TryDequeue(out var key))
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                continue;
            }

            if (entry.Read)
            {
                entry.Read = false;
                clock.Enqueue(key);
            }
            else
            {
                Remove(key, entry);
                Instruments.CacheEvictions.Add(1, new KeyValuePair<string, object?>("reason", "budget"));
            }
        }
    }

    /// <summary>Removes the entry stored under the key, with its surrogate keys' references to it. Called holding <see cref="writing"/>.</summary>
    private void Remove(string key, Entry entry)
    {
        if (!entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
        {
            return;
        }

        Interlocked.Add(ref bytes, -entry.Size);
        foreach (var surrogateKey in entry.SurrogateKeys)
        {
            if (bySurrogateKey.TryGetValue(surrogateKey, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                bySurrogateKey.Remove(surrogateKey);
            }
        }
    }

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

        /// <summary>What it costs in memory, roughly: the body, its headers' strings, and the objects around them.</summary>
        public long Size { get; } = Body.Length + 2L * (ETag.Length + (LastModified?.Length ?? 0) + CacheControl.Length + (SurrogateKey?.Length ?? 0)) + 512;

        /// <summary>Read since the clock last came round to it (see <see cref="ResponseCache"/>).</summary>
        public bool Read { get; set; }
    }
}

