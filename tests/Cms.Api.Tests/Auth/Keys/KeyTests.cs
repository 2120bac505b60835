using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Auth.Keys;

public sealed class KeyTests : ApiTest
{
    // lastUsedAt is written only when the write turn is free at that instant (a request never waits for it). The
    // scheduled publisher takes the turn on each poll, and these tests move the clock past the default 30 s poll, so
    // a pass could coincide with a request and the write be skipped. Polling once a day keeps it out of the way.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:SchedulerPollInterval"] = "1.00:00:00",
    };

    private async Task<(long Id, string Secret)> CreateKey(string role, string name = "key")
    {
        var created = await Expect(await Editor.PostAsync("/api/v1/keys", Json(new { name, role })), HttpStatusCode.Created);
        return ((long)created["id"]!, (string)created["secret"]!);
    }

    private HttpClient ClientWith(string secret)
    {
        var client = Factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    [Test]
    public async Task An_admin_creates_keys_whose_secret_is_shown_once_and_listed_without_it()
    {
        var (id, secret) = await CreateKey("editor", "ci-preview");

        var listText = await Editor.GetStringAsync("/api/v1/keys");
        var list = JsonNode.Parse(listText)!["items"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(secret, Does.StartWith("cms_").And.Length.EqualTo(47));
            Assert.That(list.Select(k => (long)k!["id"]!), Does.Contain(id));
            Assert.That(list.Single(k => (long)k!["id"]! == id)!["prefix"]!.GetValue<string>(), Is.EqualTo(secret[..8]));
            Assert.That(listText, Does.Not.Contain(secret));
            Assert.That(listText, Does.Not.Contain("secret"));
        });
    }

    [Test]
    public async Task An_editor_works_on_content_but_gets_403_for_keys()
    {
        var (_, secret) = await CreateKey("editor");
        var editor = ClientWith(secret);

        await Expect(await editor.PostAsync("/api/v1/articles", Json(new { title = "By an editor" })), HttpStatusCode.Created);
        var forbidden = await ExpectProblem(await editor.GetAsync("/api/v1/keys"), HttpStatusCode.Forbidden);
        await ExpectProblem(await editor.PostAsync("/api/v1/keys", Json(new { name = "x", role = "admin" })), HttpStatusCode.Forbidden);

        Assert.That((string?)forbidden["detail"], Does.Contain("role"));
    }

    [Test]
    public async Task A_revoked_key_is_401_on_the_next_request()
    {
        var (id, secret) = await CreateKey("editor");
        var client = ClientWith(secret);
        await Expect(await client.GetAsync("/api/v1/comments"), HttpStatusCode.OK);

        await Expect(await Editor.DeleteAsync($"/api/v1/keys/{id}"), HttpStatusCode.NoContent);

        await ExpectProblem(await client.GetAsync("/api/v1/comments"), HttpStatusCode.Unauthorized);
        await ExpectProblem(await Editor.DeleteAsync($"/api/v1/keys/{id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Keys_survive_a_restart_as_hashes_and_record_when_they_were_last_used()
    {
        var (id, secret) = await CreateKey("editor", "persisted");
        await Expect(await ClientWith(secret).GetAsync("/api/v1/comments"), HttpStatusCode.OK);
        Factory.Dispose();

        using var restarted = Factory.OnSameDatabase();
        var client = restarted.Anonymous();
        await restarted.Services.GetRequiredService<Cms.Api.Articles.ScheduledPublisher>().FirstRun; // see Settings
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        await Expect(await client.GetAsync("/api/v1/comments"), HttpStatusCode.OK);
        var keys = JsonNode.Parse(await restarted.Editor().GetStringAsync("/api/v1/keys"))!["items"]!.AsArray();

        Assert.That(keys.Single(k => (long)k!["id"]! == id)!["lastUsedAt"], Is.Not.Null);
    }

    [Test]
    public async Task LastUsedAt_is_written_at_most_once_a_minute()
    {
        await Factory.Services.GetRequiredService<Cms.Api.Articles.ScheduledPublisher>().FirstRun; // its pass at start is over
        var (id, secret) = await CreateKey("editor");
        var client = ClientWith(secret);
        async Task<string?> LastUsed() => (string?)JsonNode.Parse(await Editor.GetStringAsync("/api/v1/keys"))!["items"]!.AsArray().Single(k => (long)k!["id"]! == id)!["lastUsedAt"];

        await client.GetAsync("/api/v1/comments");
        var first = await LastUsed();
        Factory.Clock.Advance(TimeSpan.FromSeconds(30));
        await client.GetAsync("/api/v1/comments");
        var within = await LastUsed();
        Factory.Clock.Advance(TimeSpan.FromSeconds(31));
        await client.GetAsync("/api/v1/comments");
        var after = await LastUsed();

        Assert.That(first, Is.EqualTo("2026-11-25T09:00:00.000Z"));
        Assert.That(within, Is.EqualTo(first));
        Assert.That(after, Is.EqualTo("2026-11-25T09:01:01.000Z"));
    }

    [TestCase("""{"name":"x","role":"owner"}""", "role")]
    [TestCase("""{"role":"editor"}""", "name")]
    public async Task Key_requests_are_validated(string json, string field)
    {
        await ExpectFieldError(await Editor.PostAsync("/api/v1/keys", Json(json)), field);
    }
}

/// <summary>
/// Every endpoint the app maps, from its own endpoint data source, called anonymously, with an editor key and
/// with an admin key: a new endpoint cannot ship without a declared access level, nor unprotected by accident.
/// </summary>
public sealed class AuthorizationMatrixTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:ReaderPage"] = "true" };

    private enum Access
    {
        Public,
        Editor,
        Admin,
    }

    private static readonly Dictionary<string, Access> Expected = new()
    {
        ["HealthCheck"] = Access.Public,
        ["ReadinessCheck"] = Access.Public,
        ["ReaderPage"] = Access.Public,
        ["ReaderScript"] = Access.Public,
        ["ReaderStyles"] = Access.Public,
        ["ListArticles"] = Access.Public,
        ["GetArticle"] = Access.Public,
        ["CreateArticle"] = Access.Editor,
        ["ReplaceArticle"] = Access.Editor,
        ["PatchArticle"] = Access.Editor,
        ["PublishArticle"] = Access.Editor,
        ["UnpublishArticle"] = Access.Editor,
        ["DeleteArticle"] = Access.Editor,
        ["ListSections"] = Access.Public,
        ["GetSection"] = Access.Public,
        ["CreateSection"] = Access.Editor,
        ["ReorderSections"] = Access.Editor,
        ["ReplaceSection"] = Access.Editor,
        ["PatchSection"] = Access.Editor,
        ["DeleteSection"] = Access.Editor,
        ["ListPullQuotes"] = Access.Public,
        ["GetPullQuote"] = Access.Public,
        ["CreatePullQuote"] = Access.Editor,
        ["ReplacePullQuote"] = Access.Editor,
        ["PatchPullQuote"] = Access.Editor,
        ["DeletePullQuote"] = Access.Editor,
        ["ListArticleComments"] = Access.Public,
        ["PostComment"] = Access.Public,
        ["GetComment"] = Access.Public,
        ["ListComments"] = Access.Editor,
        ["PatchComment"] = Access.Editor,
        ["ModerateComments"] = Access.Editor,
        ["DeleteComment"] = Access.Editor,
        ["UpsertArticle"] = Access.Editor,
        ["CreateArticleFromMarkdown"] = Access.Editor,
        ["UpsertArticleFromMarkdown"] = Access.Editor,
        ["Import"] = Access.Editor,
        ["Export"] = Access.Editor,
        ["CreateKey"] = Access.Admin,
        ["ListKeys"] = Access.Admin,
        ["RevokeKey"] = Access.Admin,
        ["CreateWebhook"] = Access.Admin,
        ["ListWebhooks"] = Access.Admin,
        ["GetWebhook"] = Access.Admin,
        ["UpdateWebhook"] = Access.Admin,
        ["DeleteWebhook"] = Access.Admin,
        ["RotateWebhookSecret"] = Access.Admin,
        ["ListDeliveries"] = Access.Admin,
        ["RetryDelivery"] = Access.Admin,
        ["ListRevisions"] = Access.Editor,
        ["GetRevision"] = Access.Editor,
        ["DiffRevision"] = Access.Editor,
        ["RestoreRevision"] = Access.Editor,
        ["IssuePreviewLink"] = Access.Editor,
        ["RevokePreviewLinks"] = Access.Admin,
    };

    [Test]
    public async Task Every_endpoint_answers_each_caller_as_its_access_level_says()
    {
        var created = await Expect(await Editor.PostAsync("/api/v1/keys", Json(new { name = "matrix", role = "editor" })), HttpStatusCode.Created);
        var editor = Factory.Anonymous();
        editor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["secret"]!);
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && e.RoutePattern.RawText?.StartsWith("/swagger", StringComparison.Ordinal) != true)
            .ToList();

        var names = endpoints.Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.RoutePattern.RawText!).ToList();
        Assert.That(names, Is.EquivalentTo(Expected.Keys), "every endpoint must be listed here with its access level");

        Assert.Multiple(async () =>
        {
            foreach (var endpoint in endpoints)
            {
                var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName;
                var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
                var url = "/" + endpoint.RoutePattern.RawText!.TrimStart('/')
                    .Replace("{article}", "1", StringComparison.Ordinal).Replace("{id}", "999", StringComparison.Ordinal).Replace("{slug}", "matrix-probe", StringComparison.Ordinal)
                    .Replace("{number}", "1", StringComparison.Ordinal).Replace("{deliveryId}", "1", StringComparison.Ordinal);

                foreach (var (caller, client) in new[] { ("anonymous", Public), ("editor", editor), ("admin", Editor) })
                {
                    var request = new HttpRequestMessage(new HttpMethod(method), url);
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        var markdown = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("text/markdown") == true;
                        request.Content = markdown
                            ? new StringContent("# Probe\n", System.Text.Encoding.UTF8, "text/markdown")
                            : Json("{}", method == "PATCH" ? "application/merge-patch+json" : "application/json");
                    }

                    var status = (await client.SendAsync(request)).StatusCode;
                    var expected = Expected[name];
                    var denied = caller switch
                    {
                        "anonymous" => expected != Access.Public ? HttpStatusCode.Unauthorized : (HttpStatusCode?)null,
                        "editor" => expected == Access.Admin ? HttpStatusCode.Forbidden : null,
                        _ => null,
                    };

                    if (denied is { } deniedStatus)
                    {
                        Assert.That(status, Is.EqualTo(deniedStatus), $"{caller} {method} {url} ({name})");
                    }
                    else
                    {
                        Assert.That(status, Is.Not.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), $"{caller} {method} {url} ({name})");
                        Assert.That((int)status, Is.LessThan(500), $"{caller} {method} {url} ({name})");
                    }
                }
            }
        });
    }
}

public sealed class CorsTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Cors:Origins:0"] = "https://www.example-news.org" };

    [Test]
    public async Task Configured_origins_are_allowed_and_see_the_headers_front_ends_need()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/articles");
        preflight.Headers.Add("Origin", "https://www.example-news.org");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        var allowed = await Public.SendAsync(preflight);

        var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles");
        get.Headers.Add("Origin", "https://www.example-news.org");
        var response = await Public.SendAsync(get);

        var other = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles");
        other.Headers.Add("Origin", "https://evil.example");
        var refused = await Public.SendAsync(other);

        Assert.Multiple(() =>
        {
            Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://www.example-news.org"));
            Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("ETag").And.Contain("Link").And.Contain("Location").And.Contain("Retry-After"));
            Assert.That(refused.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        });
    }
}

public sealed class CorsDefaultTests : ApiTest
{
    [Test]
    public async Task Without_configured_origins_outside_development_no_origin_is_allowed()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles");
        request.Headers.Add("Origin", "http://localhost:3000");

        var response = await Public.SendAsync(request);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }
}
