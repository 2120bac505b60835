using System.Collections.Concurrent;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Hosting;

/// <summary>
/// The benchmark's ceiling: a constant byte array of the requested size, served by the same process and
/// pipeline (minus any database work). Mapped only when Cms:Benchmark:Baseline is true.
/// </summary>
public static class Baseline
{
    private static readonly ConcurrentDictionary<int, byte[]> Bodies = new();

    public static IEndpointRouteBuilder MapBaselineIfEnabled(this IEndpointRouteBuilder routes)
    {
        if (!routes.ServiceProvider.GetRequiredService<IOptions<CmsOptions>>().Value.Benchmark.Baseline)
        {
            return routes;
        }

        routes.MapGet("/bench/baseline", (int? size) =>
        {
            var length = Math.Clamp(size ?? 4096, 1, 1024 * 1024);
            var body = Bodies.GetOrAdd(length, n => Enumerable.Repeat((byte)'x', n).ToArray());
            return TypedResults.Bytes(body, "application/json");
        }).ExcludeFromDescription().AllowAnonymous();
        return routes;
    }
}
