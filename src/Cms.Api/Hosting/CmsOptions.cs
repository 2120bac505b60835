using Cms.Api.Http;



namespace Cms.Api.Hosting;

/// <summary>The <c>Cms</c> configuration section (environment variables use <c>Cms__Name</c>).</summary>
public sealed class CmsOptions
{
    public const string Section = "Cms";

    /// <summary>The admin API key. When empty, the first start generates one, stores only its hash and prints it once.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Seeds one demo article when the database is empty. Defaults to true in Development.</summary>
    public bool? SeedDemoContent { get; set; }

    /// <summary>Serves Swagger UI at /swagger (the JSON document stays available at /swagger/v1/swagger.json).</summary>
    public bool SwaggerUi { get; set; } = true;

    public CommentOptions Comments { get; set; } = new();

    public CachingOptions Caching { get; set; } = new();

    public CorsOptions Cors { get; set; } = new();

    public sealed class CorsOptions
    {
        /// <summary>Origins allowed to call the API from a browser. Empty: none in Production, any localhost in Development.</summary>
        public string[] Origins { get; set; } = [];
    }

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks, e.g. 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For is
    /// believed: a request arriving from one of them counts as coming from the address the proxy saw (for flood
    /// control and rate limits). Empty (the default): X-Forwarded-For is ignored, since any client can send it.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>When true, PUT, PATCH and DELETE without If-Match are refused with 428.</summary>
    public bool RequireIfMatch { get; set; }

    /// <summary>How often the scheduled publisher looks for due articles even when nothing woke it.</summary>
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public sealed class CachingOptions
    {
        /// <summary>Cache-Control for responses to requests without a key.</summary>
        public string PublicCacheControl { get; set; } = "public, max-age=60, stale-while-revalidate=300";
    }

    public sealed class CommentOptions
    {
        /// <summary>New public comments are published at once instead of waiting in the moderation queue.</summary>
        public bool AutoApprove { get; set; }

        /// <summary>One comment per client IP, and per e-mail address, in this many seconds (0 turns flood control off).</summary>
        public int FloodSeconds { get; set; } = 15;

        /// <summary>The same body from the same name or e-mail on the same article and parent within this many hours is a duplicate (409; 0 = off).</summary>
        public int DuplicateHours { get; set; } = 24;

        /// <summary>A comment with more links than this waits for moderation even when AutoApprove is on.</summary>
        public int MaxLinks { get; set; } = 2;

        /// <summary>Public write requests per client IP per minute (0 turns the limiter off).</summary>
        public int RateLimitPerMinute { get; set; } = 30;
    }
}
