using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Api.Tests.Hosting;

public sealed class HostingTests : ApiTest
{
    [Test]
    public async Task Settings_files_are_not_watched_because_the_database_lives_beside_them()
    {
        await Public.GetAsync("/healthz");
        var configuration = (IConfigurationRoot)Factory.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.That(files, Is.Not.Empty, "appsettings.json is read");
        Assert.That(files.Select(f => f.Source.ReloadOnChange), Is.All.False);
    }

    [Test]
    public async Task The_health_check_answers_whatever_key_comes_with_it()
    {
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Headers = { { "Authorization", "Bearer not-a-key" } } };
        var malformed = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Headers = { { "Authorization", "Basic YTpi" } } };

        Assert.That((await Public.SendAsync(wrong)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Public.SendAsync(malformed)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Public.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/articles") { Headers = { { "Authorization", "Bearer not-a-key" } } })).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized), "elsewhere a wrong key is still refused");
    }

    [Test]
    [Category(Engines.SqliteOnly)]
    public async Task SQLite_keeps_no_memory_statistics_because_they_cost_a_global_lock_per_allocation()
    {
        // Reads and writes allocate plenty; with statistics on, SQLite would count it here.
        Assert.That((await Editor.PostAsync("/api/v1/articles", Json(new { slug = "counted", title = "Counted" }))).IsSuccessStatusCode);
        Assert.That((await Public.GetAsync("/api/v1/articles?limit=5")).IsSuccessStatusCode);

        Assert.That(SQLitePCL.raw.sqlite3_memory_used(), Is.Zero);
    }
}
