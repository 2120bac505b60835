using System.Reflection;
using Cms.Api.Settings;
using Microsoft.Extensions.Options;

namespace Cms.Api.Reader;

/// <summary>
/// The reference reader page (Reader/Page: one HTML file, one script, one style sheet, on the public API only) at
/// <c>/read/{slug}</c>, when <c>Cms:ReaderPage</c> is on (by default in Development only). The files are embedded in
/// the assembly and served as they are: the page fetches the article itself, so the same HTML serves every slug.
/// </summary>
public static class ReaderEndpoints
{
    private static readonly Dictionary<string, (string ContentType, byte[] Bytes)> Files = new[]
    {
        ("reader.html", "text/html; charset=utf-8"),
        ("reader.js", "text/javascript; charset=utf-8"),
        ("reader.css", "text/css; charset=utf-8"),
    }.ToDictionary(f => f.Item1, f => (f.Item2, Read(f.Item1)));

    public static IEndpointRouteBuilder MapReaderPageIfEnabled(this IEndpointRouteBuilder routes, IHostEnvironment environment)
    {
        if (!(routes.ServiceProvider.GetRequiredService<IOptions<CmsOptions>>().Value.ReaderPage ?? environment.IsDevelopment()))
        {
            return routes;
        }

        var group = routes.MapGroup("/read").ExcludeFromDescription().AllowAnonymous();
        group.MapGet("{slug}", () => Serve("reader.html")).WithName("ReaderPage");
        group.MapGet("assets/reader.js", () => Serve("reader.js")).WithName("ReaderScript");
        group.MapGet("assets/reader.css", () => Serve("reader.css")).WithName("ReaderStyles");
        return routes;
    }

    private static IResult Serve(string name)
    {
        var (contentType, bytes) = Files[name];
        return TypedResults.Bytes(bytes, contentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Cms.Api.Reader.Page.{name}")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
