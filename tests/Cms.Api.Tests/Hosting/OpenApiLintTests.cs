using System.Diagnostics;

namespace Cms.Api.Tests.Hosting;

/// <summary>
/// Spectral (spectral:oas and our rules in .spectral.yaml) finds nothing in the committed document: no error, no warning.
/// The tool comes from tools/node (scripts/test.sh installs it with npm); without npm the test says so and is skipped.
/// </summary>
[Category(Engines.SqliteOnly)]
public sealed class OpenApiLintTests
{
    [Test]
    public async Task Spectral_finds_no_error_and_no_warning_in_the_committed_document()
    {
        var spectral = RepositoryFiles.Path("tools", "node", "node_modules", ".bin", "spectral");
        if (!File.Exists(spectral))
        {
            Assert.Ignore("Spectral is not installed: run `npm ci --prefix tools/node` (scripts/test.sh does when npm is there).");
        }

        var start = new ProcessStartInfo(spectral, ["lint", "openapi/cms.v1.json", "--ruleset", ".spectral.yaml", "--fail-severity", "warn", "--format", "text"])
        {
            WorkingDirectory = RepositoryFiles.Path(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, await output + await errors);
    }
}
