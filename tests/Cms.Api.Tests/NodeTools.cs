using System.Diagnostics;

namespace Cms.Api.Tests;

/// <summary>
/// The npm tools some tests run (Spectral, openapi-typescript, tsc, node), installed by scripts/test.sh with `npm ci`
/// from their lock files. Without them a test says so and is skipped.
/// </summary>
internal static class NodeTools
{
    /// <summary>The path of an installed tool, e.g. <c>Require("tools/node", "spectral")</c>.</summary>
    public static string Require(string package, string tool)
    {
        var path = RepositoryFiles.Path([.. package.Split('/'), "node_modules", ".bin", tool]);
        if (!File.Exists(path))
        {
            Assert.Ignore($"{tool} is not installed: run `npm ci --prefix {package}` (scripts/test.sh does when npm is there).");
        }

        return path;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await errors);
    }
}
