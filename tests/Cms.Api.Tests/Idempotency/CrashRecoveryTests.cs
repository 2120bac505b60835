using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Tests.Idempotency;

/// <summary>
/// A CI job's seed.sh, its server killed (kill -9) under it, then the same seed.sh again once the server is back: it
/// succeeds at once, and writes once. Killed before the import committed, the retry runs it; killed after the commit but
/// before the answer went out, the retry is answered from the record committed with the import.
/// </summary>
[NonParallelizable]
[Category(Engines.SqliteOnly)]
public sealed class CrashRecoveryTests
{
    private const int Articles = 8000;
    private static string dataset = "";

    [OneTimeSetUp]
    public static async Task Generate()
    {
        dataset = Path.Combine(Path.GetTempPath(), $"cms-crash-{Guid.NewGuid():N}.ndjson");
        using var generate = Process.Start(new ProcessStartInfo("bash", [RepositoryFiles.Path("scripts", "generate-content.sh"), Articles.ToString(System.Globalization.CultureInfo.InvariantCulture), "11"])
        {
            RedirectStandardOutput = true,
        })!;
        await using (var file = File.Create(dataset))
        {
            await generate.StandardOutput.BaseStream.CopyToAsync(file);
        }

        await generate.WaitForExitAsync();
    }

    [OneTimeTearDown]
    public static void Delete() => File.Delete(dataset);

    private static Process StartSeed(ServerProcess server) => Process.Start(new ProcessStartInfo(
        "bash", [RepositoryFiles.Path("scripts", "seed.sh"), dataset, "--url", server.Url, "--key", ServerProcess.Key])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;

    private static async Task<(int Exit, string Out)> Finish(Process seed)
    {
        var output = seed.StandardOutput.ReadToEndAsync();
        var error = seed.StandardError.ReadToEndAsync();
        await seed.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (seed.ExitCode, await output + await error);
    }

    private static long StoredArticles(ServerProcess server)
    {
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM articles";
        return (long)count.ExecuteScalar()!;
    }

    [Test]
    public async Task Killed_mid_import_the_same_seed_runs_again_at_once()
    {
        using var server = new ServerProcess();
        await server.StartAsync();
        using var seed = StartSeed(server);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        server.Kill();
        var (killedExit, _) = await Finish(seed);

        await server.StartAsync();
        var afterCrash = StoredArticles(server);
        var (exit, output) = await Finish(StartSeed(server));

        Assert.Multiple(() =>
        {
            Assert.That(killedExit, Is.Not.Zero, "the first seed lost its server mid-import");
            Assert.That(afterCrash, Is.Zero, "an import is all or nothing");
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain($"articles: created={Articles} "));
            Assert.That(StoredArticles(server), Is.EqualTo(Articles));
        });
    }

    [Test]
    public async Task Killed_after_the_commit_before_the_answer_the_same_seed_gets_the_answer_and_writes_nothing()
    {
        using var server = new ServerProcess();
        for (var attempt = 0; ; attempt++)
        {
            await server.StartAsync();
            using var seed = StartSeed(server);
            // The import commits, then commits its search entries and checkpoints before it answers: kill in between.
            while (!seed.HasExited && StoredArticles(server) < Articles)
            {
                await Task.Delay(2);
            }

            server.Kill();
            var (killedExit, _) = await Finish(seed);
            if (killedExit != 0 || attempt == 2)
            {
                Assert.That(killedExit, Is.Not.Zero, "three tries did not land a kill between the commit and the answer");
                break;
            }

            // Too late: the answer got out first. Start over on a fresh database.
            File.Delete(server.DatabasePath);
            File.Delete(server.DatabasePath + "-wal");
            File.Delete(server.DatabasePath + "-search");
        }

        await server.StartAsync();
        var (exit, output) = await Finish(StartSeed(server));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain($"articles: created={Articles} "), "the first run's answer, replayed (a second run would say unchanged)");
            Assert.That(StoredArticles(server), Is.EqualTo(Articles));
        });
    }
}
