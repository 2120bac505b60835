namespace Cms.Api.Tests.Hosting;

/// <summary>Spectral (spectral:oas and our rules in .spectral.yaml) finds nothing in the committed document: no error, no warning.</summary>
[Category(Engines.SqliteOnly)]
public sealed class OpenApiLintTests
{
    [Test]
    public async Task Spectral_finds_no_error_and_no_warning_in_the_committed_document()
    {
        var spectral = NodeTools.Require("tools/node", "spectral");

        var (exitCode, output) = await NodeTools.RunAsync(
            spectral, ["lint", "openapi/cms.v1.json", "--ruleset", ".spectral.yaml", "--fail-severity", "warn", "--format", "text"], RepositoryFiles.Path());

        Assert.That(exitCode, Is.Zero, output);
    }
}
