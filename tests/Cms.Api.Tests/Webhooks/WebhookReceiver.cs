using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cms.Api.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver on a loopback port: records every request it gets (body and headers) and answers each with the
/// next status queued (200 when none is), or holds it unanswered while <see cref="Hold"/> is set.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<Received> received = Channel.CreateUnbounded<Received>();
    private readonly ConcurrentQueue<int> statuses = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    /// <summary>While set, requests are recorded and then left without an answer (a receiver that hangs).</summary>
    public TaskCompletionSource? Hold { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var started = new WebhookReceiver(app);
        app.MapPost("/hook", started.ReceiveAsync);
        await app.StartAsync();
        started.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return started;
    }

    /// <summary>The next requests are answered with these statuses, in order.</summary>
    public void AnswerWith(params int[] codes)
    {
        foreach (var code in codes)
        {
            statuses.Enqueue(code);
        }
    }

    /// <summary>The next request received, waiting for it up to <paramref name="seconds"/>.</summary>
    public async Task<Received> NextAsync(int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The receiver got nothing within {seconds} s.");
            throw;
        }
    }

    /// <summary>Every request received and not yet read.</summary>
    public List<Received> Drain()
    {
        var all = new List<Received>();
        while (received.Reader.TryRead(out var next))
        {
            all.Add(next);
        }

        return all;
    }

    /// <summary>Whether a request arrives within <paramref name="milliseconds"/> (for asserting that none does).</summary>
    public async Task<bool> AnyWithinAsync(int milliseconds)
    {
        using var timeout = new CancellationTokenSource(milliseconds);
        try
        {
            return await received.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        await received.Writer.WriteAsync(new Received(body, headers));
        if (Hold is { } hold)
        {
            await hold.Task;
        }

        return Results.Text("thanks", statusCode: statuses.TryDequeue(out var status) ? status : 200);
    }

    public sealed record Received(string Body, IReadOnlyDictionary<string, string> Headers)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }
}
