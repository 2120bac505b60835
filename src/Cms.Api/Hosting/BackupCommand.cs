using Cms.Api.Data;

namespace Cms.Api.Hosting;

/// <summary>
/// <c>dotnet run --project src/Cms.Api -- backup DEST</c> (or <c>scripts/backup.sh DEST</c>): a consistent copy of the
/// configured database, taken while the service keeps serving and writing. The search index is not copied: a restored
/// database rebuilds it at start-up.
/// </summary>
public static class BackupCommand
{
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "backup";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: backup DEST   (DEST must not exist yet)");
            return 2;
        }

        var destination = Path.GetFullPath(args[1]);
        if (File.Exists(destination))
        {
            await Console.Error.WriteLineAsync($"backup: {destination} already exists; choose a new file so no backup is overwritten.");
            return 2;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (app.Services.GetRequiredService<CmsDatabase>() is not SqliteDatabase database)
        {
            await Console.Error.WriteLineAsync("backup: this copies the embedded SQLite database; back PostgreSQL up with its own tools (pg_dump, or a base backup).");
            return 2;
        }

        await database.BackupAsync(destination, CancellationToken.None);
        await Console.Error.WriteLineAsync(
            $"Backed up {Path.GetFullPath(database.DataSource)} to {destination} ({new FileInfo(destination).Length / 1024} KB).");
        return 0;
    }
}
