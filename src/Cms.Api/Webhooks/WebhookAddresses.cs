using System.Net;
using System.Net.Sockets;

namespace Cms.Api.Webhooks;

/// <summary>
/// Which addresses a hook may call. A hook's URL is the one request this service makes on a user's say-so, so it must
/// not become a way into the network it runs in: loopback, link-local (cloud metadata services among them), private and
/// unique-local addresses are refused unless Cms:Webhooks:AllowPrivateNetworks is on. Checked when a hook is saved (a
/// literal address, "localhost") and again on every connection, after the name is resolved, so a name that resolves to
/// a private address is refused too.
/// </summary>
internal static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }

    /// <summary>Why a URL cannot be a hook's, or null when it can (as far as can be told before resolving its name).</summary>
    public static string? Refusal(string? url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "The URL must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not carry a user name or password; the signature authenticates each request.";
        }

        if (allowPrivate)
        {
            return null;
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && !IsPublic(address)))
        {
            return "The URL points at a loopback, link-local or private address; set Cms:Webhooks:AllowPrivateNetworks=true to allow receivers on your own network.";
        }

        return null;
    }
}
