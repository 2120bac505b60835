using Cms.Api.Auth.Keys;
using Cms.Api.Hosting;
using Cms.Api.Hosting.OpenApi;


// Settings are read once, at start-up. Watching appsettings*.json for changes means watching the content root
// recursively, and the default database (cms.db) lives there: every write woke the watcher.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddCms();

var app = builder.Build();
app.UseCms();

if (KeyCommand.IsRequested(args))
{
    return await KeyCommand.RunAsync(app, args);
}

if (BackupCommand.IsRequested(args))
{
    return await BackupCommand.RunAsync(app, args);
}

if (OpenApiExport.IsRequested(args, out var exportPath))
{
    // Writes the OpenAPI document without starting the server or touching the database.
    await OpenApiExport.WriteAsync(app, exportPath);
    return 0;
}

await app.RunAsync();
return 0;

/// <summary>Entry point, public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
