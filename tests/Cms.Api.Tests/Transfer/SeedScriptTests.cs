using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cms.Api.Tests.Transfer;

/// <summary>scripts/seed.sh against a real server process on loopback, as CI would run it.</summary>
[NonParallelizable]
public sealed partial class SeedScriptTests
{
    private const string Key = "seed-test-key-0123456789";
    private Process server = null!;
    private string url = "";
    private string workDirectory = "";

    [OneTimeSetUp]
    public async Task StartServer()
    {
        workDirectory = Directory.CreateTempSubdirectory("cms-seed-").FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cms.Api.dll"), "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Cms"] = $"Data Source={Path.Combine(workDirectory, "cms.db")}";
        start.Environment["Cms__AdminKey"] = Key;
        start.Environment["Cms__SeedDemoContent"] = "false";

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server = new Process { StartInfo = start };
        server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && ListeningOn().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        server.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited"));
        server.EnableRaisingEvents = true;
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }

        server.Dispose();
        Directory.Delete(workDirectory, recursive: true);
    }

    private static async Task<(int Exit, string Out, string Error)> Seed(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [RepositoryFiles.Path("scripts", "seed.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("CMS_KEY");
        start.Environment.Remove("CMS_URL");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await output, await error);
    }

    [Test]
    public async Task Seeding_the_sample_works_twice_and_reports_counts()
    {
        var sample = RepositoryFiles.Path("scripts", "sample-content.json");

        var first = await Seed(sample, "--url", url, "--key", Key);
        var second = await Seed(sample, "--url", url, "--key", Key);

        Assert.Multiple(() =>
        {
            Assert.That(first.Exit, Is.Zero, first.Error);
            Assert.That(first.Out, Does.Contain("articles: created=3 updated=0 unchanged=0"));
            Assert.That(first.Out, Does.Contain("comments: created=3 updated=0 unchanged=0"));
            Assert.That(second.Exit, Is.Zero, second.Error);
        });
    }

    [Test]
    public async Task A_refused_bundle_exits_1_with_each_problem_and_its_path()
    {
        var bad = Path.Combine(workDirectory, "bad.json");
        await File.WriteAllTextAsync(bad, """{"articles":[{"slug":"fine","title":"Fine"},{"slug":"broken","title":"","sections":[{"body":""}]}]}""");

        var (exit, output, error) = await Seed(bad, "--url", url, "--key", Key);

        Assert.That(exit, Is.EqualTo(1), output + error);
        Assert.That(error, Does.Contain("nothing was written"));
        Assert.That(error, Does.Contain("articles[1].title: Please enter a title."));
        Assert.That(error, Does.Contain("articles[1].sections[0].body: Please enter the section's body."));
    }

    [Test]
    public async Task A_dry_run_of_a_generated_ndjson_file_shows_progress_when_asked_and_writes_nothing()
    {
        var file = Path.Combine(workDirectory, "generated.ndjson");
        var generate = Process.Start(new ProcessStartInfo("bash", [RepositoryFiles.Path("scripts", "generate-content.sh"), "40", "3"]) { RedirectStandardOutput = true })!;
        await File.WriteAllTextAsync(file, await generate.StandardOutput.ReadToEndAsync());
        await generate.WaitForExitAsync();

        var dry = await Seed(file, "--url", url, "--key", Key, "--dry-run", "--progress");
        // Standard error is not a terminal here: without --progress the file goes to curl as it is, with no count.
        var quiet = await Seed(file, "--url", url, "--key", Key, "--dry-run");
        var count = JsonNode.Parse(await new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", Key) } }
            .GetStringAsync($"{url}/api/v1/articles?count=true&limit=1&byline="))!["totalCount"];

        Assert.Multiple(() =>
        {
            Assert.That(dry.Exit, Is.Zero, dry.Error);
            Assert.That(dry.Out, Does.Contain("dry run").And.Contain("articles: created=40"));
            Assert.That(dry.Error, Does.Contain("articles sent: 40/40"));
            Assert.That(quiet.Exit, Is.Zero, quiet.Error);
            Assert.That(quiet.Out, Does.Contain("articles: created=40"));
            Assert.That(quiet.Error, Does.Not.Contain("articles sent"));
            Assert.That((long?)count, Is.LessThan(40), "the dry run wrote nothing");
        });
    }

    [Test]
    public async Task Usage_and_connection_errors_exit_2()
    {
        var sample = RepositoryFiles.Path("scripts", "sample-content.json");

        var noKey = await Seed(sample, "--url", url);
        var noFile = await Seed(Path.Combine(workDirectory, "missing.json"), "--url", url, "--key", Key);
        var unreachable = await Seed(sample, "--url", "http://127.0.0.1:9", "--key", Key);

        Assert.That(noKey.Exit, Is.EqualTo(2));
        Assert.That(noKey.Error, Does.Contain("CMS_KEY"));
        Assert.That(noFile.Exit, Is.EqualTo(2));
        Assert.That(unreachable.Exit, Is.EqualTo(2), unreachable.Error);
    }

    [Test]
    public async Task Generated_content_is_deterministic_for_a_seed()
    {
        async Task<string> Generate(string seed)
        {
            using var process = Process.Start(new ProcessStartInfo("bash", [RepositoryFiles.Path("scripts", "generate-content.sh"), "5", seed]) { RedirectStandardOutput = true })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text;
        }

        var a = await Generate("7");
        var b = await Generate("7");
        var c = await Generate("8");

        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
        Assert.That(a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.StartsWith("{\"comment\"", StringComparison.Ordinal)), Is.EqualTo(5));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
