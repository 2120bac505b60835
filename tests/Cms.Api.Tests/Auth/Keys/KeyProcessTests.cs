using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Cms.Api.Tests.Auth.Keys;

/// <summary>Keys as an operator meets them: the first start's admin key, and keys made with the keys command.</summary>
[Category(Engines.SqliteOnly)]
public sealed partial class KeyProcessTests
{
    [Test]
    public async Task The_first_admin_key_is_made_and_shown_only_once_the_server_listens()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        using var server = new ServerProcess(new Dictionary<string, string> { ["Cms__AdminKey"] = "" })
        {
            Urls = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}",
        };

        Assert.That(server.StartAsync, Throws.InvalidOperationException, "the port is taken: the start fails");
        var failedOutput = server.Output;
        taken.Stop();
        server.Urls = "http://127.0.0.1:0";
        await server.StartAsync();
        var key = (await server.WaitForOutputAsync(GeneratedKey())).Groups[1].Value;
        using var admin = server.Client(key);

        Assert.Multiple(async () =>
        {
            Assert.That(failedOutput, Does.Not.Contain("Admin API key"), "no key is shown by a start that failed");
            Assert.That(key, Does.StartWith("cms_"));
            Assert.That((await admin.GetAsync("/api/v1/keys")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(GeneratedKey().Matches(server.Output), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_key_made_with_the_keys_command_works_at_once_on_the_running_server()
    {
        using var server = new ServerProcess();
        await server.StartAsync();
        using var before = server.Client("not-yet");
        Assert.That((await before.GetAsync("/api/v1/comments")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var command = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cms.Api.dll"), "keys", "create", "--role", "editor", "--name", "ci"])
        {
            WorkingDirectory = server.WorkDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ConnectionStrings__Cms"] = $"Data Source={server.DatabasePath}", ["Cms__AdminKey"] = ServerProcess.Key },
        };
        using var process = Process.Start(command)!;
        var secret = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        using var editor = server.Client(secret);

        Assert.That(process.ExitCode, Is.Zero, await process.StandardError.ReadToEndAsync());
        Assert.That((await editor.GetAsync("/api/v1/comments")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [GeneratedRegex(@"Admin API key[^\n]*\n\s+(cms_\S+)")]
    private static partial Regex GeneratedKey();
}
