using System.ComponentModel.DataAnnotations;

namespace Cms.Api.Settings;

/// <summary>
/// Every setting of the <c>Cms</c> configuration section (environment variables use <c>Cms__Name</c>), bound once and
/// checked at start-up (<see cref="CmsOptionsValidation"/>): an unknown key, a value of the wrong kind or out of range
/// stops the service with a message naming the setting, instead of being ignored.
/// </summary>
public sealed class CmsOptions
{
    public const string Section = "Cms";

    /// <summary>The admin API key. When empty, the first start generates one, stores only its hash and prints it once.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Seeds one demo article when the database is empty. Defaults to true in Development.</summary>
    public bool? SeedDemoContent { get; set; }

    /// <summary>Serves the reference reader page at /read/{slug}. Defaults to true in Development.</summary>
    public bool? ReaderPage { get; set; }

    public SwaggerUiSettings SwaggerUi { get; set; } = new();

    public TelemetrySettings Telemetry { get; set; } = new();

    /// <summary>When true, PUT, PATCH and DELETE without If-Match are refused with 428.</summary>
    public bool RequireIfMatch { get; set; }

    /// <summary>How often the scheduled publisher looks for due articles even when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Cms:SchedulerPollInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks, e.g. 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For is
    /// believed: a request arriving from one of them counts as coming from the address the proxy saw (for flood
    /// control and rate limits). Empty (the default): X-Forwarded-For is ignored, since any client can send it.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public CommentSettings Comments { get; set; } = new();

    public CachingSettings Caching { get; set; } = new();

    public CorsSettings Cors { get; set; } = new();

    public BenchmarkSettings Benchmark { get; set; } = new();

    public IdempotencySettings Idempotency { get; set; } = new();

    public DatabaseSettings Database { get; set; } = new();

    public SearchSettings Search { get; set; } = new();

    public RevisionSettings Revisions { get; set; } = new();

    public WebhookSettings Webhooks { get; set; } = new();
}

public sealed class TelemetrySettings
{
    /// <summary>Serves the metrics in Prometheus's text format at /metrics, to admin keys only.</summary>
    public bool Prometheus { get; set; }

    /// <summary>Traces every request (W3C traceparent in and out; exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).</summary>
    public bool Tracing { get; set; } = true;
}

public sealed class SwaggerUiSettings
{
    /// <summary>Serves Swagger UI at /swagger (the JSON document stays available at /swagger/v1/swagger.json).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Keeps the key given to Authorize in the browser's localStorage across reloads (off: it lasts the page).</summary>
    public bool PersistKey { get; set; }
}

public sealed class SearchSettings
{
    /// <summary>
    /// A search sorted by relevance ranks the most recently created matches, this many, rather than every match: its
    /// cost stays the same however large the archive and however common the words. Date and title orders walk every match.
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "Cms:Search:RankedMatches must be between 100 and 1000000.")]
    public int RankedMatches { get; set; } = 500;
}

public sealed class DatabaseSettings
{
    /// <summary>
    /// The engine: <c>sqlite</c> (embedded, one process) or <c>postgres</c> (a server shared by several nodes).
    /// <c>ConnectionStrings:Cms</c> is in that engine's own format.
    /// </summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Cms:Database:Provider must be sqlite or postgres.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// The size the write-ahead log is cut back to after the writes that grew it are checkpointed: a large import leaves a
    /// log of its whole size otherwise, on disk and for the next start after a crash to read back.
    /// </summary>
    [Range(1, 4096, ErrorMessage = "Cms:Database:WalLimitMegabytes must be between 1 and 4096.")]
    public int WalLimitMegabytes { get; set; } = 64;
}

public sealed class IdempotencySettings
{
    /// <summary>
    /// How long a request's claim on its Idempotency-Key holds when nothing answers it (the process died mid-request):
    /// after this, a retry runs again. Requests still running in this process keep their claim however long they take.
    /// </summary>
    [Range(5, 86_400, ErrorMessage = "Cms:Idempotency:LeaseSeconds must be between 5 and 86400.")]
    public int LeaseSeconds { get; set; } = 60;
}

public sealed class CommentSettings
{
    /// <summary>New public comments are published at once instead of waiting in the moderation queue.</summary>
    public bool AutoApprove { get; set; }

    /// <summary>One comment per client IP, and per e-mail address, in this many seconds (0 turns flood control off).</summary>
    [Range(0, 86_400, ErrorMessage = "Cms:Comments:FloodSeconds must be between 0 (off) and 86400.")]
    public int FloodSeconds { get; set; } = 15;

    /// <summary>The same body from the same name or e-mail on the same article and parent within this many hours is a duplicate (409; 0 = off).</summary>
    [Range(0, 8_760, ErrorMessage = "Cms:Comments:DuplicateHours must be between 0 (off) and 8760.")]
    public int DuplicateHours { get; set; } = 24;

    /// <summary>A comment with more links than this waits for moderation even when AutoApprove is on.</summary>
    [Range(0, 1_000, ErrorMessage = "Cms:Comments:MaxLinks must be between 0 and 1000.")]
    public int MaxLinks { get; set; } = 2;

    /// <summary>Public write requests per client IP per minute (0 turns the limiter off).</summary>
    [Range(0, 1_000_000, ErrorMessage = "Cms:Comments:RateLimitPerMinute must be between 0 (off) and 1000000.")]
    public int RateLimitPerMinute { get; set; } = 30;
}

public sealed class CachingSettings
{
    /// <summary>Keep public GET responses in memory until a write changes them.</summary>
    public bool InProcess { get; set; } = true;

    /// <summary>
    /// The memory cached responses may take; past it, those least recently read are evicted. Pages are rendered on
    /// write, so a page evicted here is still served from one row: the budget trades memory for the hot pages only.
    /// </summary>
    [Range(1, 1_048_576, ErrorMessage = "Cms:Caching:MaxMegabytes must be between 1 and 1048576.")]
    public int MaxMegabytes { get; set; } = 256;

    /// <summary>Cache-Control for responses to requests without a key.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Cms:Caching:PublicCacheControl must not be empty.")]
    public string PublicCacheControl { get; set; } = "public, max-age=60, stale-while-revalidate=300";
}

public sealed class CorsSettings
{
    /// <summary>Origins allowed to call the API from a browser. Empty: none in Production, any localhost in Development.</summary>
    public string[] Origins { get; set; } = [];
}

public sealed class BenchmarkSettings
{
    /// <summary>Maps GET /bench/baseline, the benchmark's constant-bytes ceiling. Never on in production.</summary>
    public bool Baseline { get; set; }
}
