namespace Cms.Api.Tests.Comments;

public sealed class CommentEndpointsTests : ApiTest
{
    private long articleId;

    [SetUp]
    public async Task CreateArticleToCommentOn() => articleId = (long)(await CreatePublishedArticle("Talk of the town"))["id"]!;

    private string Url => $"/api/v1/articles/{articleId}/comments";

    private async Task<JsonObject> PostComment(object body, HttpClient? client = null) =>
        await Expect(await (client ?? Public).PostAsync(Url, Json(body)), HttpStatusCode.Created);

    private async Task Approve(JsonNode? id) =>
        await Expect(await Patch(Editor, $"/api/v1/comments/{id}", """{"status":"approved"}"""), HttpStatusCode.OK);

    [Test]
    public async Task The_public_posts_a_comment_without_a_key_and_it_waits_for_moderation()
    {
        var response = await Public.PostAsync(Url, Json(new { name = "Reader", email = "reader@example.org", website = "https://example.org", body = "Well said." }));

        var comment = await Expect(response, HttpStatusCode.Created);
        var publicList = await Body(await Public.GetAsync(Url));
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/comments/{comment["id"]}"));
            Assert.That((string?)comment["status"], Is.EqualTo("pending"));
            Assert.That((string?)comment["website"], Is.EqualTo("https://example.org"));
            Assert.That(comment.ContainsKey("email"), Is.False, "the public never sees an e-mail address, not even their own");
            Assert.That(publicList["items"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task The_comment_form_messages_are_the_ones_readers_know()
    {
        var blank = await ExpectProblem(await Public.PostAsync(Url, Json(new { name = " ", body = "" })), HttpStatusCode.BadRequest);
        var missing = await ExpectProblem(await Public.PostAsync(Url, Json(new { })), HttpStatusCode.BadRequest);

        foreach (var problem in new[] { blank, missing })
        {
            Assert.Multiple(() =>
            {
                Assert.That(problem["errors"]!["name"]!.AsArray().Select(m => (string?)m), Is.EqualTo(new[] { "Please enter your name here" }));
                Assert.That(problem["errors"]!["body"]!.AsArray().Select(m => (string?)m), Is.EqualTo(new[] { "Please enter your comment!" }));
            });
        }

        Assert.That((await Body(await Editor.GetAsync(Url)))["items"]!.AsArray(), Is.Empty);
    }

    [TestCase("email", "not-an-address")]
    [TestCase("website", "javascript:alert(1)")]
    [TestCase("website", "ftp://example.org")]
    [TestCase("website", "example.org")]
    public async Task Optional_fields_must_be_valid_when_given(string field, string value)
    {
        var body = new Dictionary<string, object> { ["name"] = "Reader", ["body"] = "Hi", [field] = value };

        await ExpectFieldError(await Public.PostAsync(Url, Json(body)), field);
    }

    [Test]
    public async Task Length_limits_apply_to_every_field()
    {
        var problem = await ExpectProblem(await Public.PostAsync(Url, Json(new
        {
            name = new string('n', 101),
            body = new string('b', 5001),
            email = new string('e', 250) + "@example.org",
            website = "https://example.org/" + new string('w', 200),
        })), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "name", "body", "email", "website" }));
        await PostComment(new { name = new string('n', 100), body = new string('b', 5000) });
    }

    [Test]
    public async Task Approved_comments_appear_for_the_public_oldest_first_without_emails()
    {
        var first = await PostComment(new { name = "First", email = "first@example.org", body = "One" });
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await PostComment(new { name = "Second", email = "second@example.org", body = "Two" });
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await PostComment(new { name = "Third", body = "Still pending" });
        await Approve(second["id"]);
        await Approve(first["id"]);

        var publicRaw = await (await Public.GetAsync(Url)).Content.ReadAsStringAsync();
        var publicOne = await (await Public.GetAsync($"/api/v1/comments/{first["id"]}")).Content.ReadAsStringAsync();
        var editorList = await Body(await Editor.GetAsync(Url));

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(publicRaw)!["items"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "First", "Second" }));
            Assert.That(publicRaw, Does.Not.Contain("@example.org").And.Not.Contain("\"email\""));
            Assert.That(publicOne, Does.Not.Contain("@example.org"));
            Assert.That(editorList["items"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "First", "Second", "Third" }));
            Assert.That((string?)editorList["items"]![0]!["email"], Is.EqualTo("first@example.org"));
        });
    }

    [Test]
    public async Task Pending_and_rejected_comments_are_404_to_the_public()
    {
        var pending = await PostComment(new { name = "A", body = "x" });
        var rejected = await PostComment(new { name = "B", body = "y" });
        await Expect(await Patch(Editor, $"/api/v1/comments/{rejected["id"]}", """{"status":"rejected"}"""), HttpStatusCode.OK);

        await ExpectProblem(await Public.GetAsync($"/api/v1/comments/{pending["id"]}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.GetAsync($"/api/v1/comments/{rejected["id"]}"), HttpStatusCode.NotFound);
        var forEditor = await Expect(await Editor.GetAsync($"/api/v1/comments/{rejected["id"]}"), HttpStatusCode.OK);
        Assert.That((string?)forEditor["status"], Is.EqualTo("rejected"));
    }

    [Test]
    public async Task Comments_on_drafts_and_missing_articles_are_404_for_the_public()
    {
        var draft = (long)(await CreateArticle(new { title = "Draft" }))["id"]!;

        await ExpectProblem(await Public.PostAsync($"/api/v1/articles/{draft}/comments", Json(new { name = "A", body = "x" })), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.PostAsync("/api/v1/articles/4040/comments", Json(new { name = "A", body = "x" })), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.GetAsync($"/api/v1/articles/{draft}/comments"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_closed_article_refuses_comments_with_403_until_reopened()
    {
        var closed = await Expect(await Patch(Editor, $"/api/v1/articles/{articleId}", """{"commentsOpen":false}"""), HttpStatusCode.OK);

        var refused = await ExpectProblem(await Public.PostAsync(Url, Json(new { name = "A", body = "x" })), HttpStatusCode.Forbidden);
        var reopened = await Expect(await Patch(Editor, $"/api/v1/articles/{articleId}", """{"commentsOpen":true}"""), HttpStatusCode.OK);
        await Expect(await Public.PostAsync(Url, Json(new { name = "A", body = "x" })), HttpStatusCode.Created);

        Assert.That((bool?)closed["commentsOpen"], Is.False);
        Assert.That((bool?)reopened["commentsOpen"], Is.True);
        Assert.That((string?)refused["title"], Is.EqualTo("Comments are closed."));
    }

    [Test]
    public async Task A_reply_must_be_to_a_visible_comment_on_the_same_article()
    {
        var parent = await PostComment(new { name = "Parent", body = "Top" });
        var otherArticle = (long)(await CreatePublishedArticle("Elsewhere"))["id"]!;
        var elsewhere = await Expect(await Public.PostAsync($"/api/v1/articles/{otherArticle}/comments", Json(new { name = "X", body = "y" })), HttpStatusCode.Created);
        await Approve(elsewhere["id"]);

        var toPending = await ExpectFieldError(await Public.PostAsync(Url, Json(new { name = "R", body = "re", parentId = (long)parent["id"]! })), "parentId");
        await ExpectFieldError(await Public.PostAsync(Url, Json(new { name = "R", body = "re", parentId = (long)elsewhere["id"]! })), "parentId");
        await ExpectFieldError(await Public.PostAsync(Url, Json(new { name = "R", body = "re", parentId = 999 })), "parentId");
        await Approve(parent["id"]);
        var reply = await PostComment(new { name = "R", body = "re", parentId = (long)parent["id"]! });

        Assert.That(toPending, Has.Some.Contains("no comment"));
        Assert.That((long?)reply["parentId"], Is.EqualTo((long?)parent["id"]));
    }

    [Test]
    public async Task Deleting_a_comment_keeps_its_replies_as_top_level_comments()
    {
        var parent = await PostComment(new { name = "Parent", body = "Top" });
        await Approve(parent["id"]);
        var reply = await PostComment(new { name = "Reply", body = "re", parentId = (long)parent["id"]! });

        await Expect(await Editor.DeleteAsync($"/api/v1/comments/{parent["id"]}"), HttpStatusCode.NoContent);

        var after = await Expect(await Editor.GetAsync($"/api/v1/comments/{reply["id"]}"), HttpStatusCode.OK);
        Assert.That(after["parentId"], Is.Null);
        await ExpectProblem(await Editor.DeleteAsync($"/api/v1/comments/{parent["id"]}"), HttpStatusCode.NotFound);
        await ExpectProblem(await Public.DeleteAsync($"/api/v1/comments/{reply["id"]}"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_moderation_queue_needs_a_key_and_filters_by_status_and_article()
    {
        var a = await PostComment(new { name = "A", email = "a@example.org", body = "x" });
        var b = await PostComment(new { name = "B", body = "y" });
        await Approve(b["id"]);
        var other = (long)(await CreatePublishedArticle("Other"))["id"]!;
        await Expect(await Public.PostAsync($"/api/v1/articles/{other}/comments", Json(new { name = "C", body = "z" })), HttpStatusCode.Created);

        await ExpectProblem(await Public.GetAsync("/api/v1/comments?status=pending"), HttpStatusCode.Unauthorized);
        var pending = await Expect(await Editor.GetAsync("/api/v1/comments?status=pending"), HttpStatusCode.OK);
        var pendingHere = await Expect(await Editor.GetAsync($"/api/v1/comments?status=pending&articleId={articleId}"), HttpStatusCode.OK);
        await ExpectFieldError(await Editor.GetAsync("/api/v1/comments?status=waiting"), "status");
        await ExpectFieldError(await Editor.GetAsync("/api/v1/comments?limit=500"), "limit");

        Assert.Multiple(() =>
        {
            Assert.That(pending["items"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "A", "C" }));
            Assert.That((string?)pending["items"]![0]!["email"], Is.EqualTo("a@example.org"));
            Assert.That(pendingHere["items"]!.AsArray().Select(c => (long?)c!["id"]), Is.EqualTo(new[] { (long?)a["id"] }));
        });
    }

    [Test]
    public async Task Editors_edit_and_moderate_with_merge_patch()
    {
        var comment = await PostComment(new { name = "Reader", email = "r@example.org", body = "Typo hree." });
        var url = $"/api/v1/comments/{comment["id"]}";

        var edited = await Expect(await Patch(Editor, url, """{"body":"Typo here.","status":"approved"}"""), HttpStatusCode.OK);
        var nameMessages = await ExpectFieldError(await Patch(Editor, url, """{"name":""}"""), "name");
        await ExpectFieldError(await Patch(Editor, url, """{"status":"deleted"}"""), "status");
        await ExpectFieldError(await Patch(Editor, url, """{"status":null}"""), "status");
        await ExpectProblem(await Patch(Public, url, """{"status":"approved"}"""), HttpStatusCode.Unauthorized);
        await ExpectProblem(await Patch(Editor, "/api/v1/comments/999", """{"status":"approved"}"""), HttpStatusCode.NotFound);

        Assert.Multiple(() =>
        {
            Assert.That((string?)edited["body"], Is.EqualTo("Typo here."));
            Assert.That((string?)edited["status"], Is.EqualTo("approved"));
            Assert.That((string?)edited["email"], Is.EqualTo("r@example.org"));
            Assert.That((int?)edited["version"], Is.EqualTo(2));
            Assert.That(nameMessages, Is.EqualTo(new[] { "Please enter your name here" }));
        });
    }

    [Test]
    public async Task Comment_text_is_stored_exactly_as_sent()
    {
        const string body = "Line one\nLine two\r\n\r\n<b>not html</b> & “quotes” 👍";
        var comment = await PostComment(new { name = "Zoë", body });
        await Approve(comment["id"]);

        var read = await Body(await Public.GetAsync($"/api/v1/comments/{comment["id"]}"));

        Assert.That((string?)read["body"], Is.EqualTo(body));
        Assert.That((string?)read["name"], Is.EqualTo("Zoë"));
    }
}

public sealed class AutoApprovedCommentTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Comments:AutoApprove"] = "true" };

    [Test]
    public async Task With_auto_approve_on_new_comments_are_published_at_once()
    {
        var article = (long)(await CreatePublishedArticle())["id"]!;

        var comment = await Expect(await Public.PostAsync($"/api/v1/articles/{article}/comments", Json(new { name = "A", body = "x" })), HttpStatusCode.Created);
        var list = await Body(await Public.GetAsync($"/api/v1/articles/{article}/comments"));

        Assert.That((string?)comment["status"], Is.EqualTo("approved"));
        Assert.That(list["items"]!.AsArray(), Has.Count.EqualTo(1));
    }
}
