using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cms.Api.Instrumentation;

/// <summary>
/// The service's own spans and instruments, beside ASP.NET Core's (requests) and Npgsql's (PostgreSQL commands). An
/// instrument nobody listens to costs a branch, so the code records unconditionally; names follow OpenTelemetry's
/// conventions (Prometheus shows them with dots as underscores and the unit as a suffix).
/// </summary>
public static class Instruments
{
    public const string Name = "Cms.Api";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("cms.cache.hits", "{response}", "Responses served from the in-process response cache.");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("cms.cache.misses", "{response}", "Cacheable requests the response cache could not answer.");

    public static readonly Counter<long> CacheEvictions = Meter.CreateCounter<long>("cms.cache.evictions", "{response}", "Responses evicted: by a write (reason=write) or to stay in budget (reason=budget).");

    public static readonly Histogram<double> DatabaseDuration = Meter.CreateHistogram<double>("cms.db.duration", "s", "Time holding a database connection, by kind: read, or write (a whole write transaction).");

    public static readonly Histogram<double> WriteWait = Meter.CreateHistogram<double>("cms.db.write_wait", "s", "Time a write waited for its turn at the database's writer.");

    public static readonly Counter<long> Comments = Meter.CreateCounter<long>("cms.comments", "{comment}", "Public comment posts by outcome: published, held, spam, duplicate (409), too_soon (429), invalid (400).");

    public static readonly Counter<long> ImportedArticles = Meter.CreateCounter<long>("cms.import.articles", "{article}", "Articles written by imports (created or updated); its rate is the import speed.");

    public static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>("cms.webhooks.delivery_failures", "{attempt}", "Webhook delivery attempts that failed (non-2xx, timeout, connection error).");

    /// <summary>A span for work inside a request (database, search), a child of the request's span.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);
}
