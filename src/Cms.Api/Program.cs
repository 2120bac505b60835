using Cms.Api.Articles;
using Cms.Api.Common;
using Cms.Api.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddCms();

var app = builder.Build();
app.UseCms();

if (OpenApiExport.IsRequested(args, out var exportPath))
{
    // Writes the OpenAPI document without starting the server or touching the database.
    await OpenApiExport.WriteAsync(app, exportPath);
    return;
}

app.Run();

/// <summary>Entry point, public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
