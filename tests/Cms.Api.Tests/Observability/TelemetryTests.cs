using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Cms.Api.Tests.Observability;

public sealed class MetricsTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:Telemetry:Prometheus"] = "true" };

    [Test]
    public async Task The_metrics_endpoint_shows_the_named_instruments_after_traffic_to_admin_keys_only()
    {
        var article = await CreatePublishedArticle();
        await Public.GetAsync($"/api/v1/articles/{article["id"]}");
        await Public.GetAsync($"/api/v1/articles/{article["id"]}");
        await Public.PostAsync($"/api/v1/articles/{article["id"]}/comments", Json(new { name = "", body = "" }));
        await Public.PostAsync($"/api/v1/articles/{article["id"]}/comments", Json(new { name = "Ann", body = "Counted." }));
        await Public.GetAsync("/api/v1/articles?q=published");

        var metrics = await Editor.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            foreach (var name in new[]
            {
                "http_server_request_duration_seconds_bucket", "cms_cache_hits", "cms_cache_misses", "cms_db_duration_seconds_bucket",
                "cms_db_write_wait_seconds_bucket", "cms_comments", "cms_search_index_lag", "cms_webhooks_outbox_depth",
            })
            {
                Assert.That(text, Does.Contain(name), name);
            }

            Assert.That(text, Does.Contain("outcome=\"invalid\"").And.Contain("outcome=\"held\""));
            Assert.That(text, Does.Contain("http_route=\"/api/v1/articles/{article}\""));
            Assert.That((await Public.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }
}

public sealed class MetricsOffTests : ApiTest
{
    [Test]
    public async Task Without_the_setting_there_is_no_metrics_endpoint()
    {
        Assert.That((await Editor.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

public sealed class TracingTests : ApiTest
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Test]
    public async Task A_traceparent_is_honoured_returned_and_is_the_trace_id_of_a_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles/no-such-article");
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");

        var response = await Public.SendAsync(request);
        var problem = await ExpectProblem(response, HttpStatusCode.NotFound);
        var returned = response.Headers.GetValues("traceparent").Single();

        Assert.Multiple(() =>
        {
            Assert.That(returned, Does.StartWith($"00-{TraceId}-"), "the same trace, this server's span");
            Assert.That(returned, Does.Not.Contain("00f067aa0ba902b7"));
            Assert.That((string?)problem["traceId"], Is.EqualTo(TraceId));
        });
    }

    [Test]
    public async Task Without_a_traceparent_a_trace_starts_here_and_its_id_is_in_the_problem()
    {
        var response = await Public.GetAsync("/api/v1/articles/no-such-article");
        var problem = await ExpectProblem(response, HttpStatusCode.NotFound);

        Assert.That(response.Headers.GetValues("traceparent").Single(), Does.Contain($"-{(string)problem["traceId"]!}-"));
    }
}

public sealed class RequestLogTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" };

    [Test]
    public async Task One_line_per_request_with_no_key_address_e_mail_or_comment_in_it()
    {
        var lines = new ConcurrentQueue<string>();
        using var logged = Factory.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(new Capture(lines))));
        using var editor = logged.CreateClient();
        editor.DefaultRequestHeaders.Authorization = new("Bearer", CmsFactory.AdminKey);
        using var reader = logged.CreateClient();
        var article = await Expect(await editor.PostAsync("/api/v1/articles", Json(new { title = "Logged", status = "published" })), HttpStatusCode.Created);
        var post = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/articles/{article["id"]}/comments")
        {
            Content = Json(new { name = "Secret Sam", email = "sam.private@example.org", body = "A confidential remark" }),
        };
        post.Headers.Add(CmsFactory.ClientAddressHeader, "203.0.113.77");
        await Expect(await reader.SendAsync(post), HttpStatusCode.Created);
        var refused = new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles") { Headers = { { "Authorization", "Bearer cms_not-a-real-key" } } };
        await reader.SendAsync(refused);

        var all = string.Join("\n", lines);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.Match(@"^Information Cms\.Api\.Observability\.RequestLog: POST /api/v1/articles 201 in [\d.]+ ms \(key admin \(configuration\), trace [0-9a-f]{32}\)$"));
            Assert.That(lines, Has.Some.Match(@"^Information Cms\.Api\.Observability\.RequestLog: POST /api/v1/articles/\{article\}/comments 201 in [\d.]+ ms \(key -, trace [0-9a-f]{32}\)$"));
            Assert.That(lines, Has.Some.Match(@"^Warning Cms\.Api\.Observability\.RequestLog: GET /api/v1/articles 401 .*\(key \(refused\),"));
            foreach (var secret in new[] { CmsFactory.AdminKey, "cms_not-a-real-key", "sam.private@example.org", "A confidential remark", "Secret Sam", "203.0.113.77" })
            {
                Assert.That(all, Does.Not.Contain(secret));
            }
        });
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
    }
}
