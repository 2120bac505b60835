using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>
/// Gives each JSON Merge Patch operation a schema of its own: the PUT body's with nothing required (<c>ArticleRequest</c>
/// becomes <c>ArticlePatch</c>), so <c>{"status":"published"}</c> is valid against the document as it is on the wire.
/// The merged result is still validated like a PUT, which the description says.
/// </summary>
internal sealed class MergePatchSchemaFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }

        var operations = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).ToList();
        var replaced = new HashSet<string>();
        foreach (var operation in operations)
        {
            if (operation.RequestBody?.Content is not { } content
                || !content.TryGetValue(Http.MergePatch.MediaType, out var patch)
                || patch.Schema is not OpenApiSchemaReference { Reference.Id: { } whole }
                || !schemas.TryGetValue(whole, out var wholeSchema))
            {
                continue;
            }

            var name = whole.Replace("UpdateRequest", "", StringComparison.Ordinal).Replace("Request", "", StringComparison.Ordinal) + "Patch";
            if (!schemas.ContainsKey(name))
            {
                var copy = (OpenApiSchema)wholeSchema.CreateShallowCopy();
                copy.Required = new HashSet<string>();
                copy.Description = $"A JSON Merge Patch (RFC 7396) of `{whole}`: send only the fields to change; `null` clears an optional one. "
                    + "The result of merging it into what is stored is validated like a whole replacement.";
                schemas[name] = copy;
            }

            foreach (var mediaType in content.Values.OfType<OpenApiMediaType>())
            {
                mediaType.Schema = new OpenApiSchemaReference(name, document);
            }

            replaced.Add(whole);
        }

        // A request type that only PATCH takes (a comment's moderation fields) is described by its patch schema alone.
        var stillUsed = operations
            .SelectMany(o => (o.RequestBody?.Content?.Values.AsEnumerable() ?? []).Concat((o.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? [])))
            .Select(m => (m.Schema as OpenApiSchemaReference)?.Reference.Id)
            .ToHashSet();
        foreach (var unused in replaced.Where(r => !stillUsed.Contains(r)))
        {
            schemas.Remove(unused);
        }
    }
}
