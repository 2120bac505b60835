using System.Net.Http.Json;

namespace Cms.Api.Tests.Hosting;

/// <summary>
/// SIGTERM while readers post comments and editors save articles: every request that got a 2xx is committed, the others
/// finish or are refused cleanly (never a 5xx), and the process exits within the host's shutdown timeout.
/// </summary>
[NonParallelizable]
public sealed class ShutdownTests
{
    [Test]
    public async Task A_terminated_server_keeps_every_write_it_acknowledged_and_exits_in_time()
    {
        using var server = new ServerProcess(new Dictionary<string, string>
        {
            ["Cms__Comments__FloodSeconds"] = "0",
            ["Cms__Comments__RateLimitPerMinute"] = "0",
            ["Cms__Comments__AutoApprove"] = "true",
        });
        await server.StartAsync();
        using var editor = server.Client();
        var article = await (await editor.PostAsJsonAsync("/api/v1/articles", new { title = "Harbour news", status = "published" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = (long)article!["id"]!;

        var acknowledgedComments = new System.Collections.Concurrent.ConcurrentBag<string>();
        var acknowledgedTitles = new System.Collections.Concurrent.ConcurrentBag<string>();
        var serverErrors = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        async Task Writer(int n, bool comments)
        {
            using var client = server.Client(comments ? null : ServerProcess.Key);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var text = $"w{n}-{i}";
                try
                {
                    var response = comments
                        ? await client.PostAsJsonAsync($"/api/v1/articles/{id}/comments", new { name = "Reader", body = text })
                        : await client.PatchAsync($"/api/v1/articles/{id}", new StringContent($$"""{"standfirst":"{{text}}"}""", System.Text.Encoding.UTF8, "application/merge-patch+json"));
                    if ((int)response.StatusCode >= 500)
                    {
                        Interlocked.Increment(ref serverErrors);
                    }
                    else if (response.IsSuccessStatusCode)
                    {
                        (comments ? acknowledgedComments : acknowledgedTitles).Add(text);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // refused: the server has stopped listening
                }
            }
        }

        var writers = Enumerable.Range(0, 8).Select(n => Writer(n, comments: n % 2 == 0)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var exited = await server.TerminateAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        await server.StartAsync();
        using var reader = server.Client();
        var stored = new HashSet<string>();
        for (string? cursor = null; ;)
        {
            var page = (await reader.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{id}/comments?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}"))!;
            stored.UnionWith(page["items"]!.AsArray().Select(c => (string)c!["body"]!));
            if ((cursor = (string?)page["nextCursor"]) is null)
            {
                break;
            }
        }

        var lastStandfirst = (string)(await reader.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{id}"))!["standfirst"]!;
        Assert.Multiple(() =>
        {
            Assert.That(exited, Is.True, "exited within the shutdown timeout");
            Assert.That(serverErrors, Is.Zero, "no request was answered with a 5xx");
            Assert.That(acknowledgedComments, Is.Not.Empty);
            Assert.That(acknowledgedComments.Where(c => !stored.Contains(c)), Is.Empty, "every acknowledged comment is stored");
            Assert.That(acknowledgedTitles, Does.Contain(lastStandfirst), "the stored standfirst is one that was acknowledged");
        });
    }
}
