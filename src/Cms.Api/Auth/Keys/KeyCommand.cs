using Cms.Api.Data;






namespace Cms.Api.Auth.Keys;

/// <summary>
/// <c>dotnet run --project src/Cms.Api -- keys create --role editor --name ci</c>: creates a key offline, against the
/// configured database (migrating it first), prints the secret once and exits. For first setup and CI.
/// </summary>
public static class KeyCommand
{
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "keys";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Option(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var role = Option("--role");
        var name = Option("--name");
        if (args.Length < 2 || args[1] != "create" || name is null || role is null || !Roles.All.Contains(role))
        {
            await Console.Error.WriteLineAsync("usage: keys create --role admin|editor --name NAME");
            return 2;
        }

        await app.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var key = await app.Services.GetRequiredService<KeyStore>().CreateAsync(name, role, CancellationToken.None);
        // Only the secret goes to stdout, so scripts can capture it: KEY=$(scripts/create-key.sh --role editor --name ci)
        Console.WriteLine(key.Secret);
        await Console.Error.WriteLineAsync($"Created {role} key '{name}' (id {key.Id}, prefix {key.Prefix}). The secret above is shown once.");
        return 0;
    }
}
