using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Observability;

public sealed class ReadinessTests : ApiTest
{
    [Test]
    public async Task Ready_reports_the_database_search_and_pages_in_the_health_check_json()
    {
        var ready = await Expect(await Public.GetAsync("/readyz"), HttpStatusCode.OK);
        var live = await Expect(await Public.GetAsync("/healthz"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That((string?)ready["status"], Is.EqualTo("Healthy"));
            Assert.That((string?)ready["entries"]!["database"]!["status"], Is.EqualTo("Healthy"));
            Assert.That((long)ready["entries"]!["database"]!["data"]!["schemaVersion"]!, Is.EqualTo((long)ready["entries"]!["database"]!["data"]!["expectedVersion"]!));
            Assert.That((long?)ready["entries"]!["search"]!["data"]!["changesBehind"], Is.Not.Null);
            Assert.That((long?)ready["entries"]!["pages"]!["data"]!["pagesToRender"], Is.Zero);
            Assert.That((string?)live["status"], Is.EqualTo("Healthy"));
        });
    }

    [Test]
    [Category(Engines.SqliteOnly)]
    public async Task An_unreadable_database_file_makes_the_node_unready_but_alive_and_ready_again_after()
    {
        await Expect(await Public.GetAsync("/readyz"), HttpStatusCode.OK);
        var path = Factory.DatabasePath;
        var aside = path + ".aside";
        SqliteConnection.ClearAllPools();
        File.Move(path, aside);
        Directory.CreateDirectory(path);
        HttpResponseMessage unready, alive;
        try
        {
            unready = await Public.GetAsync("/readyz");
            alive = await Public.GetAsync("/healthz");
        }
        finally
        {
            Directory.Delete(path);
            File.Move(aside, path);
        }

        var problem = await Body(unready);
        var again = await Public.GetAsync("/readyz");

        Assert.Multiple(() =>
        {
            Assert.That(unready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((string?)problem["entries"]!["database"]!["status"], Is.EqualTo("Unhealthy"));
            Assert.That(alive.StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive: restarting it would not help");
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
