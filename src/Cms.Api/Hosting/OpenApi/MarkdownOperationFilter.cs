using Cms.Api.Transfer;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Hosting.OpenApi;

/// <summary>
/// Documents the Markdown forms on the JSON operations they share a route with: the Markdown endpoints are left out of
/// the description (two operations on one path and method are not OpenAPI), so their body and the Markdown view of an
/// article appear here, as a second media type of the operation an editor already looks at.
/// </summary>
internal sealed class MarkdownOperationFilter : IOperationFilter
{
    private static readonly string[] TakesMarkdown = ["CreateArticle", "UpsertArticle"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (TakesMarkdown.Contains(operation.OperationId) && operation.RequestBody is OpenApiRequestBody body)
        {
            body.Content ??= new Dictionary<string, IOpenApiMediaType>();
            body.Content[ArticleMarkdown.MediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The article in Markdown: optional front matter (slug, byline, status, publishAt), `# Title`, "
                        + "the standfirst, paragraphs separated by a blank line, `## Heading` to start a section, "
                        + "`> quote — Attribution` for a pull-quote after the paragraph before it.",
                },
                Example = System.Text.Json.Nodes.JsonValue.Create(Examples.Markdown),
            };
        }

        if (operation.OperationId == "GetArticle"
            && operation.Responses?.TryGetValue("200", out var ok) == true
            && ok is OpenApiResponse { Content: { } content }
            && content.ContainsKey(ArticleMarkdown.MediaType))
        {
            content[ArticleMarkdown.MediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The article in Markdown, as POST and PUT by slug take it." },
            };
        }
    }
}
