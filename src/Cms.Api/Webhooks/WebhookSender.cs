using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Webhooks;

/// <summary>One attempt's outcome: the receiver's status (null when it could not be reached), time taken, first 1 KB answered.</summary>
internal sealed record Attempt(int? StatusCode, long LatencyMs, string? Response, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one delivery, signed as the Standard Webhooks specification says (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>), so receivers verify it with that
/// specification's libraries. Redirects are not followed (a 3xx is a failure), each connection's resolved address is
/// checked (<see cref="WebhookAddresses"/>), and an attempt gives up after <see cref="Timeout"/>.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const int ResponseExcerptBytes = 1024;

    private readonly HttpClient client;

    public WebhookSender(IOptions<CmsOptions> options)
    {
        var allowPrivate = options.Value.Webhooks.AllowPrivateNetworks;
        client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Cms-Webhooks/1");
    }

    public async Task<Attempt> SendAsync(string url, string secret, string messageId, string payload, CancellationToken cancellationToken)
    {
        // The signed timestamp is the wall clock's: receivers refuse a message whose timestamp is far from their own clock.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", Sign(secret, messageId, timestamp, payload));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            return new Attempt((int)response.StatusCode, Elapsed(started), excerpt, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(null, Elapsed(started), null, $"No answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException exception)
        {
            return new Attempt(null, Elapsed(started), null, exception.InnerException is RefusedAddressException refused ? refused.Message : exception.Message);
        }
    }

    /// <summary>The <c>webhook-signature</c> header's value for a message.</summary>
    public static string Sign(string secret, string messageId, string timestamp, string payload)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{payload}"));
        return "v1," + Convert.ToBase64String(signature);
    }

    public void Dispose() => client.Dispose();

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ResponseExcerptBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        if (!allowPrivate)
        {
            addresses = addresses.Where(WebhookAddresses.IsPublic).ToArray();
            if (addresses.Length == 0)
            {
                throw new RefusedAddressException($"Refused: {endPoint.Host} resolves to a loopback, link-local or private address (see Cms:Webhooks:AllowPrivateNetworks).");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class RefusedAddressException(string message) : IOException(message);
}
