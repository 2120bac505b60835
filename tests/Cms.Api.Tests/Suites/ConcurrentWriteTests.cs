using System.Net.Http.Json;

namespace Cms.Api.Tests.Suites;

/// <summary>
/// Many writers over every write route at once, on a few shared articles, until enough writes went through (or a time
/// limit, on a very slow machine): never a 5xx, and the invariants hold afterwards (sections numbered from one without
/// gaps, slugs unique, every reply count right).
/// </summary>
[NonParallelizable]
public sealed class ConcurrentWriteTests : ApiTest
{
    // A count, not a time: how many writes a fixed time lets through depends on how loaded the machine is.
    private const int SucceededWrites = 600;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const int Writers = 64;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:FloodSeconds"] = "0",
        ["Cms:Comments:RateLimitPerMinute"] = "0",
        ["Cms:Comments:AutoApprove"] = "true",
    };

    private static StringContent Merge(string json) => Json(json, "application/merge-patch+json");

    [Test]
    public async Task Sixty_four_writers_get_no_5xx_and_leave_consistent_data()
    {
        var seeds = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            var id = (long)(await CreatePublishedArticle($"Shared {i}"))["id"]!;
            await CreateSection(id, new { body = "First.\n\nSecond." });
            seeds.Add(id);
        }

        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(Limit);
        var succeeded = 0;
        async Task Writer(int n)
        {
            var random = new Random(n);
            using var client = Factory.Editor();
            while (!stop.IsCancellationRequested)
            {
                var article = seeds[random.Next(seeds.Count)];
                var sections = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{article}/sections"))?["items"]?.AsArray() ?? [];
                var sectionId = sections.Count == 0 ? 0 : (long)sections[random.Next(sections.Count)]!["id"]!;
                var comments = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{article}/comments?limit=20"))?["items"]?.AsArray() ?? [];
                var commentId = comments.Count == 0 ? (long?)null : (long)comments[random.Next(comments.Count)]!["id"]!;
                var word = $"w{n}x{random.Next(50)}";
                HttpResponseMessage response = random.Next(16) switch
                {
                    0 => await client.PostAsync("/api/v1/articles", Json(new { title = $"Story {word}", status = "published" })),
                    1 => await client.PatchAsync($"/api/v1/articles/{article}", Merge($$"""{"slug":"slug-{{random.Next(8)}}"}""")),
                    2 => await client.PutAsync($"/api/v1/articles/{article}", Json(new { title = $"Shared {word}", status = "published" })),
                    3 => await client.PostAsync($"/api/v1/articles/{article}/{(random.Next(2) == 0 ? "publish" : "unpublish")}", null),
                    4 => await client.PostAsync($"/api/v1/articles/{article}/sections", Json(new { body = $"Text {word}.\n\nMore.", position = random.Next(1, 4) })),
                    5 => await client.PatchAsync($"/api/v1/sections/{sectionId}", Merge($$"""{"position":{{random.Next(1, 5)}}}""")),
                    6 => await client.DeleteAsync($"/api/v1/sections/{sectionId}"),
                    7 => await client.PutAsync($"/api/v1/articles/{article}/sections/order", Json(new { sectionIds = sections.Select(s => (long)s!["id"]!).OrderBy(_ => random.Next()).ToArray() })),
                    8 => await client.PostAsync($"/api/v1/articles/{article}/pull-quotes", Json(new { text = $"Quote {word}", sectionId, afterParagraph = 1 })),
                    9 => await client.PostAsync($"/api/v1/articles/{article}/comments", Json(new { name = "Reader", body = $"Comment {word} {random.Next()}", parentId = random.Next(3) == 0 ? commentId : null })),
                    10 => await client.PatchAsync($"/api/v1/comments/{commentId ?? 0}", Merge($$"""{"status":"{{(random.Next(2) == 0 ? "approved" : "pending")}}"}""")),
                    11 => await client.PostAsync("/api/v1/comments/moderate", Json(new { ids = comments.Take(3).Select(c => (long)c!["id"]!).ToArray(), action = random.Next(2) == 0 ? "approve" : "spam" })),
                    12 => await client.DeleteAsync($"/api/v1/comments/{commentId ?? 0}"),
                    13 => await client.PutAsync($"/api/v1/articles/by-slug/upserted-{random.Next(6)}", Json(new { title = $"Upserted {word}", status = "published", sections = new[] { new { body = word } } })),
                    14 => await client.PostAsync("/api/v1/import", Json(new { articles = new[] { new { slug = $"imported-{random.Next(6)}", title = $"Imported {word}", sections = new[] { new { body = word } } } } })),
                    _ => await client.PatchAsync($"/api/v1/articles/{article}", Merge($$"""{"standfirst":"{{word}}"}""")),
                };
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                if (response.IsSuccessStatusCode && Interlocked.Increment(ref succeeded) >= SucceededWrites)
                {
                    await stop.CancelAsync();
                }

                if ((int)response.StatusCode >= 500)
                {
                    errors.Add($"{(int)response.StatusCode} {response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {await response.Content.ReadAsStringAsync()}");
                }

                response.Dispose();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(n => Task.Run(() => Writer(n))));
        TestContext.Out.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));

        var export = JsonNode.Parse(await Editor.GetStringAsync("/api/v1/export"))!;
        var slugs = export["articles"]!.AsArray().Select(a => (string)a!["slug"]!).ToList();
        var positionErrors = new List<string>();
        var replyErrors = new List<string>();
        foreach (var id in seeds)
        {
            var sections = (await Editor.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{id}/sections"))!["items"]!.AsArray();
            var positions = sections.Select(s => (int)s!["position"]!).ToList();
            if (!positions.SequenceEqual(Enumerable.Range(1, positions.Count)))
            {
                positionErrors.Add($"article {id}: {string.Join(",", positions)}");
            }

            var all = new List<JsonObject>();
            for (string? cursor = null; ;)
            {
                var page = (await Editor.GetFromJsonAsync<JsonObject>($"/api/v1/articles/{id}/comments?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}"))!;
                all.AddRange(page["items"]!.AsArray().Select(c => c!.AsObject()));
                if ((cursor = (string?)page["nextCursor"]) is null)
                {
                    break;
                }
            }

            foreach (var comment in all)
            {
                var expected = all.Count(r => (long?)r["parentId"] == (long)comment["id"]! && (string?)r["status"] == "approved");
                if ((long)comment["replyCount"]! != expected)
                {
                    replyErrors.Add($"comment {comment["id"]}: replyCount {comment["replyCount"]}, approved replies {expected}");
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(errors, Is.Empty);
            Assert.That(statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value), Is.GreaterThanOrEqualTo(SucceededWrites), "enough writes went through to mean something");
            Assert.That(slugs, Is.Unique);
            Assert.That(positionErrors, Is.Empty);
            Assert.That(replyErrors, Is.Empty);
        });
    }
}
