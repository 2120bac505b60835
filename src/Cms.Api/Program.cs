using Cms.Api.Common;

var builder = WebApplication.CreateBuilder(args);
builder.AddCms();

var app = builder.Build();
app.UseCms();

if (Cms.Api.Keys.KeyCommand.IsRequested(args))
{
    return await Cms.Api.Keys.KeyCommand.RunAsync(app, args);
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
