namespace Cms.Api.Tests.Http;

/// <summary>
/// Behind a configured reverse proxy, flood control sees the reader's address from X-Forwarded-For; from anyone
/// else the header is ignored, since a client could otherwise dodge flood control by making addresses up.
/// </summary>
public sealed class TrustedProxyTests : ApiTest
{
    private const string Proxy = "203.0.113.250";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:AutoApprove"] = "true",
        ["Cms:Comments:RateLimitPerMinute"] = "0",
        ["Cms:TrustedProxies:0"] = Proxy,
        ["Cms:TrustedProxies:1"] = "10.20.0.0/16",
    };

    private Task<HttpResponseMessage> Post(string from, string forwardedFor, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/articles/harbour-news/comments") { Content = Json(new { name = "Reader", body }) };
        request.Headers.Add(CmsFactory.ClientAddressHeader, from);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return Public.SendAsync(request);
    }

    [SetUp]
    public Task CreateArticle() => CreatePublishedArticle("Harbour news");

    [Test]
    public async Task Readers_behind_a_trusted_proxy_are_told_apart_by_X_Forwarded_For()
    {
        var first = await Post(Proxy, "198.51.100.1", "One");
        var second = await Post("10.20.3.4", "198.51.100.2", "Two");
        var again = await Post(Proxy, "192.0.2.99, 198.51.100.1", "Three");

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another reader, through a proxy in a trusted network");
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the address the proxy saw is the last one; earlier ones are the client's claim");
        });
    }

    [Test]
    public async Task X_Forwarded_For_from_an_untrusted_address_is_ignored()
    {
        var first = await Post("203.0.113.9", "198.51.100.3", "One");
        var second = await Post("203.0.113.9", "198.51.100.4", "Two");

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        });
    }
}

public sealed class TrustedProxyConfigurationTests
{
    [Test]
    public void A_trusted_proxy_that_is_not_an_address_stops_the_start_with_a_clear_message()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cms-proxy-{Guid.NewGuid():N}.db");
        using var factory = new CmsFactory(path, new Dictionary<string, string?> { ["Cms:TrustedProxies:0"] = "proxy.example" });

        var error = Assert.Catch(() => factory.CreateClient());

        Assert.That(error!.ToString(), Does.Contain("'proxy.example' is neither an IP address nor a CIDR network"));
        factory.DeleteDatabase();
    }
}

/// <summary>With no proxy listed (the default), X-Forwarded-For is nobody's to believe.</summary>
public sealed class NoTrustedProxyTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Cms:Comments:AutoApprove"] = "true",
        ["Cms:Comments:RateLimitPerMinute"] = "0",
    };

    [Test]
    public async Task An_invented_X_Forwarded_For_does_not_walk_past_flood_control()
    {
        await CreatePublishedArticle("Harbour news");
        HttpRequestMessage Post(string body, string? forwardedFor)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/articles/harbour-news/comments") { Content = Json(new { name = "Reader", body }) };
            request.Headers.Add(CmsFactory.ClientAddressHeader, "127.0.0.1");
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            return request;
        }

        var first = await Public.SendAsync(Post("One", null));
        var second = await Public.SendAsync(Post("Two", "203.0.113.50"));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the same sender, whatever it claims");
        });
    }
}
