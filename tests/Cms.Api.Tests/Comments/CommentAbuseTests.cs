using Cms.Api.Comments;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Comments;

/// <summary>The comment form is open to the internet: honeypot, duplicates, flood control, rate limit, links, control characters.</summary>
public sealed class CommentAbuseTests : ApiTest
{
    private long articleId;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:AutoApprove"] = "true",
        ["Cms:Comments:RateLimitPerMinute"] = "5",
    };

    [SetUp]
    public async Task CreateArticle() => articleId = (long)(await CreatePublishedArticle())["id"]!;

    private Task<HttpResponseMessage> Post(object body, string address = "203.0.113.7")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{articleId}/comments") { Content = Json(body) };
        request.Headers.Add(CmsFactory.ClientAddressHeader, address);
        return Public.SendAsync(request);
    }

    private async Task<JsonArray> Queue(string status) =>
        (await Body(await Editor.GetAsync($"/api/v1/comments?status={status}")))["items"]!.AsArray();

    [Test]
    public async Task A_filled_honeypot_is_accepted_but_stored_as_spam_and_never_published()
    {
        var response = await Post(new { name = "Bot", body = "Cheap pills", website2 = "http://spam.example" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await Body(response)).ToJsonString(), Is.EqualTo("""{"status":"received"}"""));
        Assert.That((await Body(await Public.GetAsync($"/api/v1/articles/{articleId}/comments")))["items"]!.AsArray(), Is.Empty);
        Assert.That((await Queue("spam")).Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "Bot" }));
    }

    [Test]
    public async Task The_same_comment_twice_within_a_day_is_409()
    {
        await Expect(await Post(new { name = "Ann", body = "Well said." }, "203.0.113.1"), HttpStatusCode.Created);
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await ExpectProblem(await Post(new { name = "Ann", body = "Well said." }, "203.0.113.2"), HttpStatusCode.Conflict);
        Factory.Clock.Advance(TimeSpan.FromHours(24));
        await Expect(await Post(new { name = "Ann", body = "Well said." }, "203.0.113.3"), HttpStatusCode.Created);

        Assert.That((string?)again["detail"], Does.Contain("already posted"));
    }

    [Test]
    public async Task A_second_comment_within_15_seconds_from_one_address_or_email_is_429_with_Retry_After()
    {
        await Expect(await Post(new { name = "Ann", email = "ann@example.org", body = "One" }, "203.0.113.1"), HttpStatusCode.Created);
        Factory.Clock.Advance(TimeSpan.FromSeconds(5));

        var sameAddress = await Post(new { name = "Someone", body = "Two" }, "203.0.113.1");
        var sameEmail = await Post(new { name = "Ann", email = "ann@example.org", body = "Three" }, "203.0.113.99");
        var otherReader = await Post(new { name = "Bob", body = "Four" }, "203.0.113.2");
        Factory.Clock.Advance(TimeSpan.FromSeconds(10));
        var later = await Post(new { name = "Ann", email = "ann@example.org", body = "Five" }, "203.0.113.1");

        Assert.Multiple(async () =>
        {
            await ExpectProblem(sameAddress, HttpStatusCode.TooManyRequests);
            Assert.That(sameAddress.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(10)));
            await ExpectProblem(sameEmail, HttpStatusCode.TooManyRequests);
            Assert.That(otherReader.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
    }

    [Test]
    public async Task Imported_comments_are_history_to_flood_control_and_duplicate_detection()
    {
        var slug = (string)(await Body(await Editor.GetAsync($"/api/v1/articles/{articleId}")))["slug"]!;
        var bundle = new { comments = new[] { new { article = slug, name = "Ann", email = "ann@example.org", body = "Well said.", status = "approved" } } };
        await Expect(await Editor.PostAsync("/api/v1/import", Json(bundle)), HttpStatusCode.OK);

        // Had "Well said." been posted through the API just now, the same e-mail address would be 429 for 15 seconds
        // and the same text from Ann 409 for a day.
        await Expect(await Post(new { name = "Ann", email = "ann@example.org", body = "Still true." }, "203.0.113.1"), HttpStatusCode.Created);
        Factory.Clock.Advance(TimeSpan.FromSeconds(20));
        await Expect(await Post(new { name = "Ann", body = "Well said." }, "203.0.113.2"), HttpStatusCode.Created);
    }

    // The partial indexes of migration 0009 serve a lookup only when its WHERE implies theirs; without them each post
    // would read every comment of the article, or of the whole site.
    [TestCase(CommentPosts.LatestFromSender, new[] { "ix_comments_client_ip", "ix_comments_email" })]
    [TestCase(CommentPosts.DuplicateExists, new[] { "ix_comments_duplicates" })]
    [Category(Engines.SqliteOnly)]
    public async Task Flood_and_duplicate_lookups_use_their_indexes(string sql, string[] indexes)
    {
        await using var connection = new SqliteConnection($"Data Source={Factory.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.That(plan, Has.None.StartsWith("SCAN comments"), string.Join("; ", plan));
        Assert.That(indexes, Is.All.Matches<string>(index => plan.Any(step => step.Contains($"INDEX {index} ", StringComparison.Ordinal))), string.Join("; ", plan));
    }

    [Test]
    public async Task The_per_address_rate_limit_answers_429_with_Retry_After()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 7; i++)
        {
            // Different names, bodies and a fresh clock window each time: only the rate limiter can refuse these.
            Factory.Clock.Advance(TimeSpan.FromSeconds(16));
            var response = await Post(new { name = $"Reader {i}", body = $"Comment {i}" }, "198.51.100.4");
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(statuses.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited!.Headers.RetryAfter, Is.Not.Null);
        await ExpectProblem(limited, HttpStatusCode.TooManyRequests);
        Assert.That((await Post(new { name = "Elsewhere", body = "Fine" }, "198.51.100.5")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task More_than_two_links_wait_for_moderation_even_with_auto_approve()
    {
        var two = await Expect(await Post(new { name = "A", body = "See https://a.example and https://b.example" }, "203.0.113.1"), HttpStatusCode.Created);
        var three = await Expect(await Post(new { name = "B", body = "https://a.example https://b.example https://c.example" }, "203.0.113.2"), HttpStatusCode.Created);

        Assert.That((string?)two["status"], Is.EqualTo("approved"));
        Assert.That((string?)three["status"], Is.EqualTo("pending"));
    }

    [Test]
    public async Task Control_characters_are_stripped_and_a_body_of_nothing_else_is_refused()
    {
        var created = await Expect(await Post(new { name = "Ann\u0000\u0007", body = "Hello\u001b[31m\r\nworld\u200b" }, "203.0.113.1"), HttpStatusCode.Created);
        var empty = await ExpectFieldError(await Post(new { name = "Ann", body = "\u0000\u0001" }, "203.0.113.2"), "body");

        Assert.That((string?)created["name"], Is.EqualTo("Ann"));
        Assert.That((string?)created["body"], Is.EqualTo("Hello[31m\r\nworld\u200b"));
        Assert.That(empty, Is.EqualTo(new[] { "Please enter your comment!" }));
    }
}

public sealed class CommentHtmlTests : ApiTest
{
    [TestCase("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")]
    [TestCase("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>")]
    [TestCase("First para.\n\nSecond line one\nline two", "<p>First para.</p><p>Second line one<br>line two</p>")]
    [TestCase("Read https://example.org/a?b=1&c=2.", "<p>Read <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://example.org/a?b=1&amp;c=2</a>.</p>")]
    [TestCase("javascript:alert(1) and \"quotes\"", "<p>javascript:alert(1) and &quot;quotes&quot;</p>")]
    [TestCase("https://x.example/\"onmouseover=alert(1)", "<p><a href=\"https://x.example/\" rel=\"nofollow ugc noopener\">https://x.example/</a>&quot;onmouseover=alert(1)</p>")]
    public async Task BodyHtml_is_inert_escaped_html_with_paragraphs_and_nofollow_links(string body, string html)
    {
        var article = (long)(await CreatePublishedArticle())["id"]!;
        var comment = await Expect(await Editor.PostAsync($"/api/v1/articles/{article}/comments", Json(new { name = "<b>Name</b>", body })), HttpStatusCode.Created);

        Assert.That((string?)comment["bodyHtml"], Is.EqualTo(html));
        Assert.That((string?)comment["body"], Is.EqualTo(body), "the stored text is exactly what was sent");
    }

    [Test]
    public async Task Markup_in_any_field_comes_back_readable_as_json_that_browsers_never_sniff_as_html()
    {
        var article = (long)(await CreatePublishedArticle())["id"]!;
        var created = await Editor.PostAsync($"/api/v1/articles/{article}/comments",
            Json(new { name = "<script>alert('1')</script>", website = "https://example.org/?q=<svg/onload=alert(1)>", body = "<img src=x onerror=alert(1)> & 1+1" }));

        var raw = await created.Content.ReadAsStringAsync();
        var comment = JsonNode.Parse(raw)!;

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(raw, Does.Contain("\"name\":\"<script>alert('1')</script>\"").And.Contain("> & 1+1"), "no \\u003C escapes: text reads as sent");
            Assert.That(created.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(created.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That((string?)comment["bodyHtml"], Does.Contain("&lt;img src=x onerror=alert(1)&gt;"), "the HTML form of the body is inert");
        });
    }
}
