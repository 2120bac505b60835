using System.Net.Http.Headers;

namespace Cms.Api.Tests.Comments;

/// <summary>Moderation (who and when, bulk, all or nothing), threads, and privacy across every response with a comment.</summary>
public sealed class ModerationTests : ApiTest
{
    private long articleId;

    [SetUp]
    public async Task CreateArticle() => articleId = (long)(await CreatePublishedArticle("Talk"))["id"]!;

    private async Task<long> Comment(string name, long? parentId = null, string? email = null, string address = "192.0.2.10")
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(20)); // clear of flood control
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{articleId}/comments")
        {
            Content = Json(new { name, email, parentId, body = $"Comment by {name}" }),
        };
        request.Headers.Add(CmsFactory.ClientAddressHeader, address);
        return (long)(await Expect(await Public.SendAsync(request), HttpStatusCode.Created))["id"]!;
    }

    private async Task<JsonObject> Moderate(object body) =>
        await Expect(await Editor.PostAsync("/api/v1/comments/moderate", Json(body)), HttpStatusCode.OK);

    [Test]
    public async Task Status_changes_record_who_and_when()
    {
        var id = await Comment("Ann");
        Factory.Clock.Advance(TimeSpan.FromMinutes(3));

        var approved = await Expect(await Patch(Editor, $"/api/v1/comments/{id}", """{"status":"approved"}"""), HttpStatusCode.OK);
        Factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var edited = await Expect(await Patch(Editor, $"/api/v1/comments/{id}", """{"body":"Edited"}"""), HttpStatusCode.OK);
        var publicView = await Body(await Public.GetAsync($"/api/v1/comments/{id}"));

        Assert.Multiple(() =>
        {
            Assert.That((string?)approved["moderatedBy"], Is.EqualTo("admin (configuration)"));
            Assert.That((string?)approved["moderatedAt"], Is.EqualTo("2026-11-25T09:03:20.000Z"));
            Assert.That((string?)edited["moderatedAt"], Is.EqualTo((string?)approved["moderatedAt"]), "an edit is not a status change");
            Assert.That(publicView.ContainsKey("moderatedBy"), Is.False);
        });
    }

    [Test]
    public async Task Bulk_moderation_is_all_or_nothing()
    {
        var a = await Comment("A", address: "192.0.2.1");
        var b = await Comment("B", address: "192.0.2.2");

        var refused = await ExpectFieldError(await Editor.PostAsync("/api/v1/comments/moderate", Json(new { ids = new[] { a, b, 999 }, action = "approve" })), "ids");
        var pendingAfterRefusal = (await Body(await Editor.GetAsync("/api/v1/comments?status=pending")))["items"]!.AsArray().Count;
        var done = await Moderate(new { ids = new[] { a, b }, action = "approve" });
        var spam = await Moderate(new { ids = new[] { b }, action = "spam" });
        var restored = await Moderate(new { ids = new[] { b }, action = "restore" });
        await ExpectFieldError(await Editor.PostAsync("/api/v1/comments/moderate", Json(new { ids = new[] { a }, action = "delete" })), "action");
        await ExpectProblem(await Public.PostAsync("/api/v1/comments/moderate", Json(new { ids = new[] { a }, action = "approve" })), HttpStatusCode.Unauthorized);

        Assert.Multiple(() =>
        {
            Assert.That(refused, Has.Some.Contains("999"));
            Assert.That(pendingAfterRefusal, Is.EqualTo(2));
            Assert.That(done["items"]!.AsArray().Select(c => (string?)c!["status"]), Is.All.EqualTo("approved"));
            Assert.That((string?)spam["items"]![0]!["status"], Is.EqualTo("spam"));
            Assert.That((string?)restored["items"]![0]!["status"], Is.EqualTo("pending"));
        });
    }

    [Test]
    public async Task Threads_nest_approved_replies_in_order_with_reply_counts()
    {
        var top = await Comment("Top", address: "192.0.2.1");
        await Moderate(new { ids = new[] { top }, action = "approve" });
        var first = await Comment("First reply", top, address: "192.0.2.2");
        var pendingReply = await Comment("Pending reply", top, address: "192.0.2.3");
        await Moderate(new { ids = new[] { first }, action = "approve" });
        var nested = await Comment("Nested", first, address: "192.0.2.4");
        var second = await Comment("Second reply", top, address: "192.0.2.5");
        await Moderate(new { ids = new[] { nested, second }, action = "approve" });

        var threads = await Body(await Public.GetAsync($"/api/v1/articles/{articleId}/comments?include=replies"));
        var flat = await Body(await Public.GetAsync($"/api/v1/articles/{articleId}/comments"));

        var items = threads["items"]!.AsArray();
        Assert.Multiple(async () =>
        {
            Assert.That(items.Select(c => (long)c!["id"]!), Is.EqualTo(new[] { top }), "only top-level comments at the top");
            Assert.That((long?)items[0]!["replyCount"], Is.EqualTo(2), "approved replies only");
            var replies = items[0]!["replies"]!.AsArray();
            Assert.That(replies.Select(r => (string?)r!["name"]), Is.EqualTo(new[] { "First reply", "Second reply" }));
            Assert.That(replies[0]!["replies"]!.AsArray().Select(r => (long)r!["id"]!), Is.EqualTo(new[] { nested }));
            Assert.That(threads.ToJsonString(), Does.Not.Contain("Pending reply"));
            Assert.That(flat["items"]!.AsArray(), Has.Count.EqualTo(4));
            await ExpectFieldError(await Public.GetAsync($"/api/v1/articles/{articleId}/comments?include=authors"), "include");
        });
        _ = pendingReply;
    }

    [Test]
    public async Task Emails_and_client_addresses_never_reach_a_response_without_the_right_key()
    {
        var id = await Comment("Private Person", email: "private@example.org", address: "192.0.2.77");
        await Moderate(new { ids = new[] { id }, action = "approve" });
        var editorKey = (string)(await Expect(await Editor.PostAsync("/api/v1/keys", Json(new { name = "desk", role = "editor" })), HttpStatusCode.Created))["secret"]!;
        var editor = Factory.Anonymous();
        editor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", editorKey);

        var publicResponses = new[]
        {
            $"/api/v1/articles/{articleId}/comments",
            $"/api/v1/articles/{articleId}/comments?include=replies",
            $"/api/v1/articles/{articleId}?include=comments",
            $"/api/v1/comments/{id}",
        };
        var everything = new List<string>();
        foreach (var url in publicResponses)
        {
            everything.Add(await Public.GetStringAsync(url));
        }

        var editorExport = await editor.GetStringAsync("/api/v1/export");
        var adminExport = await Editor.GetStringAsync("/api/v1/export");
        var editorViews = new[] { await editor.GetStringAsync($"/api/v1/comments/{id}"), await editor.GetStringAsync("/api/v1/comments"), editorExport, adminExport };

        Assert.Multiple(() =>
        {
            foreach (var text in everything)
            {
                Assert.That(text, Does.Contain("Private Person"));
                Assert.That(text, Does.Not.Contain("private@example.org").And.Not.Contain("\"email\""));
            }

            Assert.That(editorExport, Does.Not.Contain("private@example.org"), "exports carry e-mails to admin keys only");
            Assert.That(adminExport, Does.Contain("private@example.org"));
            foreach (var text in everything.Concat(editorViews))
            {
                Assert.That(text, Does.Not.Contain("192.0.2.77"), "the client address is stored for moderation, never returned");
            }
        });
    }
}
