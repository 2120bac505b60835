using Cms.Api.Settings;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Cms.Api.Http;

/// <summary>
/// X-Forwarded-For from configured reverse proxies only (Cms:TrustedProxies). ASP.NET Core would trust loopback by
/// default; here nothing is trusted unless listed, because the client address decides flood control and rate limits.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<CmsOptions>>((options, cms) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var entry in cms.Value.TrustedProxies)
            {
                CmsOptionsValidation.TryParseNetwork(entry, out var network);
                options.KnownIPNetworks.Add(network);
            }

            // Only the address the (last) trusted proxy saw counts; earlier entries are whatever the client claimed.
            options.ForwardLimit = 1;
        });
        return services;
    }

    /// <summary>
    /// Reads X-Forwarded-For only when proxies are listed: with both of its lists empty, ASP.NET Core's middleware
    /// believes every sender, and any reader could name a new address on every post.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<CmsOptions>>().Value.TrustedProxies.Length > 0 ? app.UseForwardedHeaders() : app;
}
