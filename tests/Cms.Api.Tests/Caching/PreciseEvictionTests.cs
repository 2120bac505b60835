namespace Cms.Api.Tests.Caching;

/// <summary>
/// Every write evicts only what it changed: the views that show the article it touched (its page in every form, its
/// parts' lists and views) and, when it can change them, the lists and searches it appears in. Another article's page
/// stays in memory; every view of the written one changes at once.
/// </summary>
public sealed class PreciseEvictionTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:AutoApprove"] = "true",
        ["Cms:Comments:RateLimitPerMinute"] = "0",
    };

    private long a;
    private long b;
    private long sectionOfA;

    // Counts the response cache's hits (its cms.cache.hits instrument). Counting the database's commands instead would
    // also count what background work (the publisher, the webhook dispatcher) does while a read runs.
    private System.Diagnostics.Metrics.MeterListener? hits;
    private long hitCount;

    private void CountHits()
    {
        hits = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Cms.Api" && instrument.Name == "cms.cache.hits")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        hits.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref hitCount, value));
        hits.Start();
    }

    [TearDown]
    public void StopCounting() => hits?.Dispose();

    /// <summary>Reads a public view; returns its body and whether the database was read for it (not a cache hit).</summary>
    private async Task<(string Body, bool FromDatabase)> Read(string url)
    {
        var before = Interlocked.Read(ref hitCount);
        var response = await Public.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        var body = await response.Content.ReadAsStringAsync();
        return (body, Interlocked.Read(ref hitCount) == before);
    }

    private string[] ViewsOf(long id) =>
    [
        $"/api/v1/articles/{id}", $"/api/v1/articles/{id}?include=sections", $"/api/v1/articles/{id}?include=sections,pullQuotes,comments",
        $"/api/v1/articles/{id}/sections", $"/api/v1/articles/{id}/pull-quotes",
    ];

    [SetUp]
    public async Task TwoArticles()
    {
        CountHits();
        a = (long)(await CreatePublishedArticle("Alpha harbour"))["id"]!;
        b = (long)(await CreatePublishedArticle("Bravo market"))["id"]!;
        sectionOfA = (long)(await CreateSection(a, new { body = "Boats return." }))["id"]!;
        await CreateSection(b, new { body = "Stalls open." });
        foreach (var url in ViewsOf(a).Concat(ViewsOf(b)).Concat(["/api/v1/articles", "/api/v1/articles?q=harbour", "/api/v1/articles?q=market"]))
        {
            await Read(url);
            Assert.That((await Read(url)).FromDatabase, Is.False, $"{url} is cached before the write");
        }
    }

    private async Task AssertRefreshed(string url, string shows)
    {
        var (body, fromDatabase) = await Read(url);
        Assert.That(fromDatabase, Is.True, $"{url} is read again from the database");
        Assert.That(body, Does.Contain(shows), url);
    }

    private async Task AssertUntouched(params string[] urls)
    {
        foreach (var url in urls)
        {
            Assert.That((await Read(url)).FromDatabase, Is.False, $"{url} is still served from memory");
        }
    }

    [Test]
    public async Task A_section_edit_refreshes_every_view_of_its_article_and_searches_and_nothing_of_another_article()
    {
        await Expect(await Patch(Editor, $"/api/v1/sections/{sectionOfA}", """{"body":"Ferries return."}"""), HttpStatusCode.OK);

        foreach (var url in ViewsOf(a).Where(u => u.Contains("sections", StringComparison.Ordinal)))
        {
            var (body, fromDatabase) = await Read(url);
            Assert.That((body.Contains("Ferries return.", StringComparison.Ordinal), fromDatabase), Is.EqualTo((true, true)), url);
        }

        Assert.That((await Read("/api/v1/articles?q=ferries")).Body, Does.Contain("Alpha harbour"));
        Assert.That((await Read("/api/v1/articles?q=market")).FromDatabase, Is.True, "searches are refreshed: which articles match may have changed");
        await AssertUntouched(ViewsOf(b));
    }

    [Test]
    public async Task An_article_edit_refreshes_its_views_and_the_lists_and_leaves_another_article_cached()
    {
        await Expect(await Patch(Editor, $"/api/v1/articles/{a}", """{"title":"Alpha ferry"}"""), HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            await AssertRefreshed($"/api/v1/articles/{a}", "Alpha ferry");
            await AssertRefreshed("/api/v1/articles", "Alpha ferry");
            await AssertUntouched(ViewsOf(b));
        });
    }

    [TestCase("unpublish")]
    [TestCase("delete")]
    public async Task Unpublishing_or_deleting_takes_it_out_of_every_list_at_once(string write)
    {
        var response = write == "delete" ? await Editor.DeleteAsync($"/api/v1/articles/{a}") : await Editor.PostAsync($"/api/v1/articles/{a}/unpublish", null);
        Assert.That(response.IsSuccessStatusCode, Is.True);

        Assert.Multiple(async () =>
        {
            Assert.That((await Public.GetAsync($"/api/v1/articles/{a}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await Read("/api/v1/articles")).Body, Does.Not.Contain("Alpha harbour"));
            Assert.That((await Read("/api/v1/articles?q=harbour")).Body, Does.Not.Contain("Alpha harbour"));
            await AssertUntouched(ViewsOf(b));
        });
    }

    [Test]
    public async Task A_scheduled_publish_puts_it_in_the_lists_at_once()
    {
        var publisher = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Cms.Api.Articles.ScheduledPublisher>(Factory.Services);
        await publisher.FirstRun;
        var looked = publisher.NextRunAsync();
        var scheduled = (long)(await CreateArticle(new { title = "Charlie lighthouse", status = "scheduled", publishAt = Factory.Clock.GetUtcNow().AddMinutes(5) }))["id"]!;
        // Woken by the new schedule, the publisher reads the database: done before counting what the reads below send.
        Assert.That(await looked, Is.Zero);
        await AssertUntouched("/api/v1/articles", ViewsOf(b)[0]);

        var published = publisher.NextRunAsync();
        Factory.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.That(await published, Is.EqualTo(1));

        Assert.Multiple(async () =>
        {
            Assert.That((await Read("/api/v1/articles")).Body, Does.Contain("Charlie lighthouse"));
            Assert.That((await Read($"/api/v1/articles/{scheduled}")).Body, Does.Contain("\"published\""));
            await AssertUntouched(ViewsOf(b));
        });
    }

    [Test]
    public async Task An_approved_comment_refreshes_the_views_of_its_comments_only()
    {
        await Expect(await Public.PostAsync($"/api/v1/articles/{a}/comments", Json(new { name = "Reader", body = "Lovely." })), HttpStatusCode.Created);

        Assert.Multiple(async () =>
        {
            await AssertRefreshed($"/api/v1/articles/{a}?include=sections,pullQuotes,comments", "Lovely.");
            await AssertUntouched($"/api/v1/articles/{a}", $"/api/v1/articles/{a}/sections", "/api/v1/articles");
            await AssertUntouched(ViewsOf(b));
        });
    }

    [Test]
    public async Task A_draft_edit_evicts_no_list()
    {
        var draft = (long)(await CreateArticle(new { title = "Delta draft" }))["id"]!;
        await Expect(await Patch(Editor, $"/api/v1/articles/{draft}", """{"title":"Delta draft two"}"""), HttpStatusCode.OK);

        await AssertUntouched("/api/v1/articles", "/api/v1/articles?q=harbour", ViewsOf(a)[0], ViewsOf(b)[0]);
    }
}
