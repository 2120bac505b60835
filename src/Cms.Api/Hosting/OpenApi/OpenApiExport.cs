using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>Writes the OpenAPI document to a file: <c>dotnet run --project src/Cms.Api -- --export-openapi PATH</c>.</summary>
public static class OpenApiExport
{
    public static bool IsRequested(string[] args, out string path)
    {
        var index = Array.IndexOf(args, "--export-openapi");
        path = index >= 0 && index + 1 < args.Length ? args[index + 1] : string.Empty;
        return index >= 0;
    }

    public static async Task WriteAsync(WebApplication app, string path)
    {
        // The host normally registers the app's endpoints with routing when it starts; the export never starts it,
        // so register them here (the pipeline this adds to is never run).
        app.UseRouting();
        app.UseEndpoints(_ => { });
        var document = Render(app.Services);
        await File.WriteAllTextAsync(path, document);
        Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
    }

    public static string Render(IServiceProvider services)
    {
        var provider = services.GetRequiredService<ISwaggerProvider>();
        var document = provider.GetSwagger(OpenApi.DocumentName);
        using var writer = new StringWriter();
        document.SerializeAsV3(new OpenApiJsonWriter(writer));
        return writer.ToString();
    }
}
