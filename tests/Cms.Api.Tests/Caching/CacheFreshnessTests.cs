namespace Cms.Api.Tests.Caching;

/// <summary>
/// The response cache never keeps a stale page: while an editor saves an article over and over and readers load its page
/// as fast as they can, no read that started after a save was answered returns what the save replaced.
/// </summary>
[NonParallelizable]
public sealed class CacheFreshnessTests : ApiTest
{
    [Test]
    public async Task No_read_started_after_a_write_was_answered_sees_what_it_replaced()
    {
        var article = await CreatePublishedArticle("v0");
        var id = (long)article["id"]!;
        var section = await CreateSection(id, new { body = "s0" });
        var page = $"/api/v1/articles/{id}?include=sections,pullQuotes";
        var acknowledged = 0;
        var stale = new System.Collections.Concurrent.ConcurrentBag<string>();
        var reads = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6));

        async Task Reader()
        {
            using var client = Factory.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                var floor = Volatile.Read(ref acknowledged);
                var body = JsonNode.Parse(await client.GetStringAsync(page))!;
                var title = int.Parse(((string)body["title"]!)[1..], System.Globalization.CultureInfo.InvariantCulture);
                var text = int.Parse(((string)body["sections"]![0]!["body"]!)[1..], System.Globalization.CultureInfo.InvariantCulture);
                if (title < floor - 1 || text < floor)
                {
                    stale.Add($"read after save {floor} saw title v{title}, section s{text}");
                }

                Interlocked.Increment(ref reads);
            }
        }

        async Task Writer()
        {
            using var client = Factory.Editor();
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                // Alternately the article and its section: both are on the page, through different stores.
                var response = n % 2 == 1
                    ? await Patch(client, $"/api/v1/articles/{id}", $$"""{"title":"v{{n}}"}""")
                    : await Patch(client, $"/api/v1/sections/{section["id"]}", $$"""{"body":"s{{n}}"}""");
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                if (n % 2 == 0)
                {
                    // Title v(n-1) and section s(n) are both answered now.
                    Volatile.Write(ref acknowledged, n);
                }
            }
        }

        await Task.WhenAll([Writer(), .. Enumerable.Range(0, 8).Select(_ => Task.Run(Reader))]);

        Assert.Multiple(() =>
        {
            Assert.That(stale, Is.Empty);
            Assert.That(reads, Is.GreaterThan(1000), "enough reads to race the writes");
            Assert.That(acknowledged, Is.GreaterThan(20), "enough writes to race the reads");
        });
    }
}
