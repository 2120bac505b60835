namespace Cms.Api.Tests.Clients;

/// <summary>
/// clients/typescript stays true to the API: its types are what openapi-typescript makes of the committed document,
/// it compiles under `tsc --strict`, and its smoke script (create, read a page and again by ETag, list by cursor,
/// search, post a comment, handle a 400) passes against a running server.
/// </summary>
[Category(Engines.SqliteOnly)]
public sealed class TypeScriptClientTests
{
    private static readonly string Client = RepositoryFiles.Path("clients", "typescript");

    [Test]
    public async Task The_committed_types_are_what_the_document_generates()
    {
        var generator = NodeTools.Require("clients/typescript", "openapi-typescript");
        var generated = Path.Combine(Path.GetTempPath(), $"cms-schema-{Guid.NewGuid():N}.d.ts");
        try
        {
            var (exitCode, output) = await NodeTools.RunAsync(generator, ["../../openapi/cms.v1.json", "-o", generated], Client);

            Assert.That(exitCode, Is.Zero, output);
            Assert.That(await File.ReadAllTextAsync(generated), Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(Client, "src", "schema.d.ts"))),
                "clients/typescript/src/schema.d.ts is out of date: run `npm run generate` there and commit it.");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    [Test]
    public async Task It_compiles_strictly_and_its_smoke_script_passes_against_a_live_server()
    {
        var tsc = NodeTools.Require("clients/typescript", "tsc");
        // Inside the client's folder, so that node resolves openapi-fetch from its node_modules.
        var output = Path.Combine(Client, $"dist-test-{Guid.NewGuid():N}");
        using var server = new ServerProcess();
        try
        {
            var compiled = await NodeTools.RunAsync(tsc, ["-p", "tsconfig.json", "--outDir", output], Client);
            Assert.That(compiled.ExitCode, Is.Zero, compiled.Output);

            await server.StartAsync();
            var smoke = await NodeTools.RunAsync("node", [Path.Combine(output, "smoke.js")], Client,
                new Dictionary<string, string> { ["CMS_URL"] = server.Url, ["CMS_KEY"] = ServerProcess.Key });

            Assert.That(smoke.ExitCode, Is.Zero, smoke.Output + "\nserver:\n" + server.Output);
            Assert.That(smoke.Output, Does.Contain("smoke: ok"));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
