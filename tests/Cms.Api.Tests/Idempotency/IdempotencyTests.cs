using Cms.Api.Transfer;

namespace Cms.Api.Tests.Idempotency;

public sealed class IdempotencyTests : ApiTest
{
    private Task<HttpResponseMessage> PostWithKey(string url, string key, object body, HttpClient? client = null) =>
        PostWithKey(url, key, Json(body), client);

    private async Task<HttpResponseMessage> PostWithKey(string url, string key, HttpContent content, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("Idempotency-Key", key);
        return await (client ?? Editor).SendAsync(request);
    }

    [Test]
    public async Task A_retried_create_with_the_same_key_returns_the_first_response_and_writes_once()
    {
        var first = await PostWithKey("/api/v1/articles", "create-1", new { title = "Once" });
        var retry = await PostWithKey("/api/v1/articles", "create-1", new { title = "Once" });
        var misuse = await PostWithKey("/api/v1/articles", "create-1", new { title = "Different" });
        var fresh = await PostWithKey("/api/v1/articles", "create-2", new { title = "Once" });

        var list = await Body(await Editor.GetAsync("/api/v1/articles"));
        Assert.Multiple(async () =>
        {
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
            Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
            Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(misuse.StatusCode, Is.EqualTo((HttpStatusCode)422));
            Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Keys_expire_after_24_hours_and_are_per_route()
    {
        await PostWithKey("/api/v1/articles", "k", new { title = "Day one" });
        Factory.Clock.Advance(TimeSpan.FromHours(25));
        var nextDay = await PostWithKey("/api/v1/articles", "k", new { title = "Day one" });
        var import = await PostWithKey("/api/v1/import", "k", new { articles = Array.Empty<object>() });

        Assert.That(nextDay.Headers.Contains("Idempotent-Replayed"), Is.False);
        Assert.That(nextDay.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(import.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_whole_body_counts_even_when_the_endpoint_stopped_reading_it_early()
    {
        // The bundle is refused at its first token, so the import never reads the rest; the key still stands for
        // the whole body, which is hashed as it streams in (not buffered first).
        var padding = new string('x', 256 * 1024);
        Task<HttpResponseMessage> Post(string tail) =>
            PostWithKey("/api/v1/import", "refused-early", Json($$"""{"articles":5,"note":"{{padding}}{{tail}}"}"""));

        var first = await Post("a");
        var retry = await Post("a");
        var otherBody = await Post("b");

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((retry.StatusCode, retry.Headers.Contains("Idempotent-Replayed")), Is.EqualTo((HttpStatusCode.BadRequest, true)));
            Assert.That(otherBody.StatusCode, Is.EqualTo((HttpStatusCode)422), "same first 256 KB, different last byte");
        });
    }

    [Test]
    public async Task Import_replays_instead_of_importing_twice()
    {
        var bundle = new { articles = new[] { new { slug = "one", title = "One" } } };

        var first = await Body(await PostWithKey("/api/v1/import", "seed-run-1", bundle));
        var retry = await PostWithKey("/api/v1/import", "seed-run-1", bundle);

        Assert.That((int?)first["articles"]!["created"], Is.EqualTo(1));
        Assert.That((int?)(await Body(retry))["articles"]!["created"], Is.EqualTo(1), "the first answer, replayed");
        Assert.That(retry.Headers.Contains("Idempotent-Replayed"), Is.True);
    }
}
