using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Cms.Api.Tests.Webhooks;

/// <summary>
/// Webhooks against a real receiver on a loopback port: what is sent, signed how, retried when, in which order, and what
/// survives a node dying between the commit and the send.
/// </summary>
public sealed class WebhookTests : ApiTest
{
    private WebhookReceiver receiver = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Webhooks:AllowPrivateNetworks"] = "true" };

    [SetUp]
    public async Task StartReceiver() => receiver = await WebhookReceiver.StartAsync();

    [TearDown]
    public async Task StopReceiver() => await receiver.DisposeAsync();

    [Test]
    public async Task Each_event_is_signed_as_Standard_Webhooks_says_and_carries_what_to_purge()
    {
        var hook = await CreateHook(WebhookEvents("*"));
        var article = await CreatePublishedArticle("Flood warning");
        var id = (long)article["id"]!;

        var created = await receiver.NextAsync();
        var published = await receiver.NextAsync();

        var verifier = new StandardWebhook((string)hook["secret"]!);
        Assert.Multiple(() =>
        {
            foreach (var message in new[] { created, published })
            {
                Assert.DoesNotThrow(() => verifier.Verify(message.Body, Headers(message)), "verified with the Standard Webhooks library");
                Assert.That((string?)message.Json["id"], Is.EqualTo(message.Headers["webhook-id"]));
                Assert.That(message.Headers["webhook-signature"], Does.StartWith("v1,"));
                Assert.That((long)message.Json["data"]!["id"]!, Is.EqualTo(id));
                Assert.That((string?)message.Json["data"]!["slug"], Is.EqualTo("flood-warning"));
                Assert.That((long)message.Json["data"]!["version"]!, Is.EqualTo(1));
                Assert.That(message.Json["data"]!["surrogateKeys"]!.AsArray().Select(k => (string)k!), Does.Contain($"article-{id}"));
                Assert.That((string?)message.Json["timestamp"], Is.EqualTo("2026-11-25T09:00:00.000Z"));
            }

            Assert.That((string?)created.Json["type"], Is.EqualTo("article.created"));
            Assert.That((string?)published.Json["type"], Is.EqualTo("article.published"));
        });

        var tampered = created with { Body = created.Body.Replace("flood-warning", "forged", StringComparison.Ordinal) };
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(tampered.Body, Headers(tampered)));
    }

    [Test]
    public async Task A_failed_delivery_is_retried_with_the_same_id_until_it_succeeds_and_every_attempt_is_shown()
    {
        var hook = await CreateHook(WebhookEvents("article.created"));
        receiver.AnswerWith(500);
        await CreateArticle(new { title = "Retried" });

        var first = await receiver.NextAsync();
        var pending = await Eventually(hook, d => (long)d["attempts"]! == 1);
        Assert.That((string?)pending["state"], Is.EqualTo("pending"));
        Assert.That((int?)pending["attemptLog"]![0]!["statusCode"], Is.EqualTo(500));
        Assert.That((string?)pending["attemptLog"]![0]!["response"], Is.EqualTo("thanks"));

        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await receiver.NextAsync();
        var delivered = await Eventually(hook, d => (string?)d["state"] == "delivered");

        Assert.Multiple(() =>
        {
            Assert.That(second.Headers["webhook-id"], Is.EqualTo(first.Headers["webhook-id"]));
            Assert.That((long)delivered["attempts"]!, Is.EqualTo(2));
            Assert.That(delivered["attemptLog"]!.AsArray().Select(a => (int?)a!["statusCode"]), Is.EqualTo(new int?[] { 500, 200 }));
        });
    }

    [Test]
    public async Task An_articles_events_arrive_in_order_even_when_an_earlier_one_is_being_retried()
    {
        await CreateHook(WebhookEvents("*"));
        receiver.AnswerWith(503);
        var id = (long)(await CreateArticle(new { title = "In order" }))["id"]!;
        await Expect(await Editor.PatchAsync($"/api/v1/articles/{id}", Json("""{"title":"In order, edited"}""", "application/merge-patch+json")), HttpStatusCode.OK);
        await Expect(await Editor.PostAsync($"/api/v1/articles/{id}/publish", null), HttpStatusCode.OK);

        var types = new List<string> { (string)(await receiver.NextAsync()).Json["type"]! };
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 3; i++)
        {
            types.Add((string)(await receiver.NextAsync()).Json["type"]!);
        }

        Assert.That(types, Is.EqualTo(new[] { "article.created", "article.created", "article.updated", "article.published" }));
    }

    [Test]
    public async Task A_delivery_cut_off_by_a_dying_node_is_sent_after_the_restart()
    {
        await CreateHook(WebhookEvents("article.created"));
        receiver.Hold = new TaskCompletionSource();
        await CreateArticle(new { title = "Sent after a crash" });
        var cutOff = await receiver.NextAsync();

        // The node dies while the receiver has not answered: the attempt is never recorded.
        Factory.Dispose();
        receiver.Hold.SetResult();
        receiver.Hold = null;
        using var restarted = Factory.OnSameDatabase(Settings);
        using var client = restarted.Editor();
        await client.GetAsync("/healthz");
        restarted.Clock.Advance(TimeSpan.FromMinutes(2));

        var again = await receiver.NextAsync();
        Assert.That(again.Headers["webhook-id"], Is.EqualTo(cutOff.Headers["webhook-id"]), "the same event, from the outbox");
    }

    [Test]
    public async Task A_change_that_rolls_back_sends_nothing()
    {
        await CreateHook(WebhookEvents("*"));
        // An import is all-or-nothing: its first article is written, then the second is refused and the whole rolls back.
        var import = await Editor.PostAsync("/api/v1/import", Json("""{"articles":[{"slug":"rolled-back","title":"Rolled back"},{"slug":"bad"}]}"""));
        await ExpectProblem(import, HttpStatusCode.BadRequest);
        await CreateArticle(new { title = "Kept" });

        var first = await receiver.NextAsync();
        Assert.That((string?)first.Json["data"]!["slug"], Is.EqualTo("kept"), "nothing was sent for the import that rolled back");
    }

    [Test]
    public async Task An_import_sends_one_event_with_its_counts_and_comments_send_theirs_without_personal_data()
    {
        await CreateHook(WebhookEvents("import.completed", "comment.created", "comment.approved", "article.created"));
        var import = await Editor.PostAsync("/api/v1/import", Json("""{"articles":[{"slug":"one","title":"One","status":"published"},{"slug":"two","title":"Two"}]}"""));
        await Expect(import, HttpStatusCode.OK);
        var article = (long)(await CreatePublishedArticle("After the import"))["id"]!;
        var post = await Public.PostAsync($"/api/v1/articles/{article}/comments", Json(new { name = "Ada", email = "ada@example.com", body = "Well reported." }));
        var comment = (long)(await Expect(post, HttpStatusCode.Created))["id"]!;
        await Expect(await Editor.PostAsync("/api/v1/comments/moderate", Json(new { ids = new[] { comment }, action = "approve" })), HttpStatusCode.OK);

        // Events about different subjects are delivered side by side, so these events may arrive in any order.
        var received = new List<WebhookReceiver.Received>();
        for (var i = 0; i < 4; i++)
        {
            received.Add(await receiver.NextAsync());
        }

        Assert.That(received.Select(r => (string?)r.Json["type"]), Is.EquivalentTo(new[] { "import.completed", "article.created", "comment.created", "comment.approved" }), "one event for the import, none per imported article");
        var byType = received.ToDictionary(r => (string)r.Json["type"]!);
        var (imported, created, posted, approved) = (byType["import.completed"], byType["article.created"], byType["comment.created"], byType["comment.approved"]);
        Assert.Multiple(() =>
        {
            Assert.That((long)imported.Json["data"]!["articles"]!["created"]!, Is.EqualTo(2));
            Assert.That((long)created.Json["data"]!["id"]!, Is.EqualTo(article), "the article created after the import, not an imported one");
            Assert.That((long)posted.Json["data"]!["articleId"]!, Is.EqualTo(article));
            Assert.That(posted.Body + approved.Body, Does.Not.Contain("ada@example.com").And.Not.Contain("Ada").And.Not.Contain("Well reported"));
        });
    }

    [Test]
    public async Task A_hook_failing_for_a_whole_day_is_disabled_saying_why_and_a_delivery_can_be_sent_again()
    {
        var hook = await CreateHook(WebhookEvents("article.created"));
        receiver.AnswerWith(500, 500);
        await CreateArticle(new { title = "Never received" });
        await receiver.NextAsync();
        await Eventually(hook, d => (long)d["attempts"]! == 1);

        Factory.Clock.Advance(TimeSpan.FromHours(25));
        await receiver.NextAsync();
        var failed = await Eventually(hook, d => (string?)d["state"] == "failed");
        var disabled = await Expect(await Editor.GetAsync($"/api/v1/webhooks/{hook["id"]}"), HttpStatusCode.OK);
        Assert.That((bool)disabled["enabled"]!, Is.False);
        Assert.That((string?)disabled["disabledReason"], Does.Contain("failed for 24 hours").And.Contain("HTTP 500"));

        await Expect(await Editor.PatchAsync($"/api/v1/webhooks/{hook["id"]}", Json("""{"enabled":true}""", "application/merge-patch+json")), HttpStatusCode.OK);
        await Expect(await Editor.PostAsync($"/api/v1/webhooks/{hook["id"]}/deliveries/{failed["id"]}/retry", null), HttpStatusCode.Accepted);
        await receiver.NextAsync();
        var delivered = await Eventually(hook, d => (string?)d["state"] == "delivered");
        Assert.That((long)delivered["attempts"]!, Is.EqualTo(3));
        var enabled = await Expect(await Editor.GetAsync($"/api/v1/webhooks/{hook["id"]}"), HttpStatusCode.OK);
        Assert.That(enabled["disabledReason"], Is.Null);
    }

    [Test]
    public async Task Finished_deliveries_are_pruned_after_the_days_kept()
    {
        var hook = await CreateHook(WebhookEvents("article.created"));
        await CreateArticle(new { title = "Delivered long ago" });
        await receiver.NextAsync();
        await Eventually(hook, d => (string?)d["state"] == "delivered");

        Factory.Clock.Advance(TimeSpan.FromDays(31));
        for (var tries = 0; Factory.Scalar("SELECT count(*) FROM webhook_deliveries") > 0; tries++)
        {
            Assert.That(tries, Is.LessThan(500), "pruned in the background");
            await Task.Delay(20);
        }

        Assert.That(Factory.Scalar("SELECT count(*) FROM webhook_attempts"), Is.Zero, "with their attempts");
    }

    [Test]
    public async Task Hooks_are_managed_by_admin_keys_and_the_secret_is_shown_once()
    {
        var hook = await CreateHook(WebhookEvents("article.published"));
        var listed = await Expect(await Editor.GetAsync("/api/v1/webhooks"), HttpStatusCode.OK);
        var rotated = await Expect(await Editor.PostAsync($"/api/v1/webhooks/{hook["id"]}/secret", null), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That((string?)hook["secret"], Does.StartWith("whsec_"));
            Assert.That(listed.ToJsonString(), Does.Not.Contain("whsec_"));
            Assert.That((string?)rotated["secret"], Does.StartWith("whsec_").And.Not.EqualTo((string?)hook["secret"]));
        });
        await Expect(await Editor.DeleteAsync($"/api/v1/webhooks/{hook["id"]}"), HttpStatusCode.NoContent);
        await ExpectProblem(await Editor.GetAsync($"/api/v1/webhooks/{hook["id"]}"), HttpStatusCode.NotFound);
    }

    [TestCase("""{"url":"ftp://example.com/x","events":["*"]}""", "url")]
    [TestCase("""{"url":"https://user:pw@example.com/x","events":["*"]}""", "url")]
    [TestCase("""{"url":"https://example.com/x","events":[]}""", "events")]
    [TestCase("""{"url":"https://example.com/x","events":["article.renamed"]}""", "events[0]")]
    public async Task Hook_requests_are_validated(string json, string field)
    {
        await ExpectFieldError(await Editor.PostAsync("/api/v1/webhooks", Json(json)), field);
    }

    private static string[] WebhookEvents(params string[] events) => events;

    private async Task<JsonObject> CreateHook(string[] events) =>
        await Expect(await Editor.PostAsync("/api/v1/webhooks", Json(new { url = receiver.Url, events })), HttpStatusCode.Created);

    /// <summary>The hook's latest delivery once it satisfies <paramref name="condition"/> (the dispatcher records attempts after sending).</summary>
    private async Task<JsonObject> Eventually(JsonObject hook, Func<JsonObject, bool> condition)
    {
        for (var tries = 0; ; tries++)
        {
            var page = await Expect(await Editor.GetAsync($"/api/v1/webhooks/{hook["id"]}/deliveries"), HttpStatusCode.OK);
            if (page["items"]!.AsArray().FirstOrDefault() is JsonObject latest && condition(latest))
            {
                return latest;
            }

            Assert.That(tries, Is.LessThan(500), page.ToJsonString());
            await Task.Delay(20);
        }
    }

    private static HeaderDictionary Headers(WebhookReceiver.Received message) =>
        new(message.Headers.ToDictionary(h => h.Key, h => new StringValues(h.Value), StringComparer.OrdinalIgnoreCase));
}
