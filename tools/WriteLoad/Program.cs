using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Writes at steady rates while the benchmark reads: editors PATCH articles (EDITS per second) and readers post comments
// (COMMENTS per second), each on an article picked by the same Zipf law the readers use, for SECONDS. Prints one line:
// "edits N (R/s, E errors, p99 X ms); comments N (R/s, E errors, p99 X ms)".
//
//   WriteLoad URL KEY ARTICLES SECONDS EDITS COMMENTS
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: WriteLoad URL KEY ARTICLES SECONDS EDITS_PER_SECOND COMMENTS_PER_SECOND");
    return 2;
}

var url = args[0];
var articles = int.Parse(args[2], CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
var editor = new AuthenticationHeaderValue("Bearer", args[1]);
var edits = new Stream("edits", double.Parse(args[4], CultureInfo.InvariantCulture));
var comments = new Stream("comments", double.Parse(args[5], CultureInfo.InvariantCulture));
var random = new Random(7);
var stop = Stopwatch.StartNew();

// Zipf over the articles, as the readers pick them: article k with probability proportional to 1/k. The dataset is
// imported in order into a fresh database, so generated-k has id k (an edit needs the id, a comment takes either).
int Pick() => Math.Max(1, (int)Math.Floor(Math.Pow(articles, random.NextDouble())));

async Task Run(Stream stream, Func<int, HttpRequestMessage> request)
{
    var running = new List<Task>();
    for (var n = 0; stop.Elapsed < duration; n++)
    {
        var due = TimeSpan.FromSeconds(n / stream.PerSecond);
        if (due > stop.Elapsed)
        {
            await Task.Delay(due - stop.Elapsed);
        }

        running.Add(stream.Send(client, request(n)));
    }

    await Task.WhenAll(running);
}

await Task.WhenAll(
    Run(edits, n => new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/articles/{Pick()}")
    {
        Headers = { Authorization = editor },
        Content = new StringContent($$"""{"standfirst":"Updated by an editor, save {{n}}."}""", Encoding.UTF8, "application/merge-patch+json"),
    }),
    Run(comments, n => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/generated-{Pick():D7}/comments")
    {
        Headers = { { "X-Forwarded-For", $"10.9.{n / 250 % 250}.{n % 250 + 1}" } },
        Content = new StringContent($$"""{"name":"Load reader","body":"Comment {{n}} at {{DateTime.UtcNow.Ticks}}."}""", Encoding.UTF8, "application/json"),
    }));
Console.WriteLine($"{edits.Report(stop.Elapsed)}; {comments.Report(stop.Elapsed)}");
return 0;

internal sealed class Stream(string name, double perSecond)
{
    private readonly List<double> latencies = [];
    private int errors;

    public double PerSecond => perSecond;

    public async Task Send(HttpClient client, HttpRequestMessage request)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
        }

        lock (latencies)
        {
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    public string Report(TimeSpan elapsed)
    {
        var sorted = latencies.Order().ToList();
        var p99 = sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.99))];
        return string.Create(CultureInfo.InvariantCulture, $"{name} {sorted.Count} ({sorted.Count / elapsed.TotalSeconds:F1}/s, {errors} errors, p99 {p99:F1} ms)");
    }
}
