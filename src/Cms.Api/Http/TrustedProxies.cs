using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;

namespace Cms.Api.Http;

/// <summary>
/// X-Forwarded-For from configured reverse proxies only (Cms:TrustedProxies). ASP.NET Core would trust loopback by
/// default; here nothing is trusted unless listed, because the client address decides flood control and rate limits.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IReadOnlyList<string> entries)
    {
        var networks = entries.Select(Parse).ToList();
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            // Only the address the (last) trusted proxy saw counts; earlier entries are whatever the client claimed.
            options.ForwardLimit = 1;
        });
    }

    private static IPNetwork Parse(string entry)
    {
        if (IPNetwork.TryParse(entry, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException($"Cms:TrustedProxies: '{entry}' is neither an IP address nor a CIDR network (such as 10.0.0.0/8).");
    }
}
