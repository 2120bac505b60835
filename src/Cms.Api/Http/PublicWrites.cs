using System.Globalization;
using System.Threading.RateLimiting;
using Cms.Api.Auth;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Http;

/// <summary>
/// A per-client-IP rate limit on the public write surface (posting comments): Cms:Comments:RateLimitPerMinute
/// requests a minute, then 429 with Retry-After. Requests with an API key are not limited.
/// </summary>
public static class PublicWrites
{
    public const string Policy = "public-writes";

    public static IServiceCollection AddPublicWriteLimits(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.AddPolicy(Policy, context =>
        {
            var perMinute = context.RequestServices.GetRequiredService<IOptions<CmsOptions>>().Value.Comments.RateLimitPerMinute;
            if (perMinute <= 0 || context.HasKey())
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            return RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        });
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var response = rejected.HttpContext.Response;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = rejected.HttpContext,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests.",
                    Detail = $"Too many requests from your address. Try again in {retryAfter} second(s).",
                },
            });
        };
    });
}
