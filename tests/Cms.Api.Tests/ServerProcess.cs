using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cms.Api.Tests;

/// <summary>
/// The service as a real process on loopback (the built Cms.Api.dll), for what only a process can show: scripts run
/// against it, a kill -9, a SIGTERM. Its database lives in a directory of its own, kept across restarts.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    public const string Key = "process-test-key-0123456789";

    private readonly Dictionary<string, string> settings;
    private Process? process;

    public ServerProcess(IDictionary<string, string>? settings = null)
    {
        WorkDirectory = Directory.CreateTempSubdirectory("cms-process-").FullName;
        this.settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
    }

    public string WorkDirectory { get; }

    public string DatabasePath => Path.Combine(WorkDirectory, "cms.db");

    public string Url { get; private set; } = "";

    /// <summary>Where it listens: a free loopback port unless a test names one.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>The process's output so far (for failure messages); read under the lock its readers append under.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private readonly System.Text.StringBuilder output = new();

    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> waiters = [];

    /// <summary>Waits until the process's standard output matches <paramref name="pattern"/> (it may already).</summary>
    public Task<Match> WaitForOutputAsync(Regex pattern)
    {
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            if (pattern.Match(output.ToString()) is { Success: true } found)
            {
                return Task.FromResult(found);
            }

            waiters.Add((pattern, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public bool Running => process is { HasExited: false };

    /// <summary>Starts it and returns once it listens (on a free port, a new one each start).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cms.Api.dll"), "--urls", Urls])
        {
            WorkingDirectory = WorkDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Cms"] = $"Data Source={DatabasePath}";
        start.Environment["Cms__AdminKey"] = Key;
        start.Environment["Cms__SeedDemoContent"] = "false";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new Process { StartInfo = start, EnableRaisingEvents = true };
        started.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(text);
                foreach (var (pattern, seen) in waiters)
                {
                    if (pattern.Match(output.ToString()) is { Success: true } found)
                    {
                        seen.TrySetResult(found);
                    }
                }
            }

            if (ListeningOn().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        started.ErrorDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        started.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited:\n" + Output));
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        Url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>kill -9: no shutdown, no flush, nothing but what is already on disk.</summary>
    public void Kill()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as a service manager stops it; returns whether it exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (process is not { HasExited: false } running)
        {
            return true;
        }

        using var signal = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await signal.WaitForExitAsync();
        try
        {
            await running.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public HttpClient Client(string? key = Key) => new()
    {
        BaseAddress = new Uri(Url),
        DefaultRequestHeaders = { Authorization = key is null ? null : new("Bearer", key) },
    };

    public void Dispose()
    {
        Kill();
        process?.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
